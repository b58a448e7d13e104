import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AdminCredentialVerifier,
  AdminKeyRecord,
  AdminKeyRepository,
  KeyMaterialService,
} from '@app/auth';
import { AppException } from '@app/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateAdminKeyDto } from './dto/create-admin-key.dto';
import { TotpService } from './totp.service';

export interface IssuedAdminKey {
  record: AdminKeyRecord;
  key: string;
  totpSecret: string;
  otpauthUrl: string;
}

/** Admin key lifecycle: creation with its own TOTP secret, listing, revocation with a reason. */
@Injectable()
export class AdminKeysService {
  private readonly logger = new Logger(AdminKeysService.name);

  constructor(
    @Inject(AdminKeyRepository) private readonly repository: AdminKeyRepository,
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(AdminCredentialVerifier) private readonly verifier: AdminCredentialVerifier,
    @Inject(TotpService) private readonly totp: TotpService,
  ) {}

  /**
   * `createdBy` is `admin:<id>`, `bootstrap` or `cli`. The input is validated here too, because
   * the CLI does not pass the HTTP pipe: a stored bad CIDR range would break every use of the key.
   */
  async create(input: CreateAdminKeyDto, createdBy: string): Promise<IssuedAdminKey> {
    assertValid(input);

    const material = this.keys.issueAdminKey();
    const totpSecret = this.totp.generateSecret();
    const now = Date.now();
    const record: AdminKeyRecord = {
      id: material.id,
      keyHash: material.hash,
      name: input.name,
      displayPrefix: material.displayPrefix,
      status: 'active',
      totpSecretSealed: this.keys.box.seal(totpSecret),
      lastOtpStep: 0,
      createdAt: now,
      updatedAt: now,
      createdBy,
      ...(input.allowedCidrs?.length ? { allowedCidrs: input.allowedCidrs } : {}),
    };
    await this.repository.create(record);
    this.logger.log({ adminKeyId: record.id, createdBy }, 'Admin key created');

    return {
      record,
      key: material.secret,
      totpSecret,
      otpauthUrl: this.totp.uri(totpSecret, `${input.name} (${record.id})`),
    };
  }

  list(): Promise<AdminKeyRecord[]> {
    return this.repository.list();
  }

  async revoke(adminKeyId: string, reason: string, actorKeyId: string): Promise<void> {
    const outcome = await this.repository.revoke(adminKeyId, reason, Date.now());
    this.verifier.evict(adminKeyId);
    if (outcome === 'missing') {
      throw new AppException('not_found', 'Admin key not found');
    }
    if (outcome === 'last') {
      throw new AppException('last_admin_key', 'The last active admin key cannot be revoked.');
    }

    this.logger.log({ adminKeyId, actorKeyId }, 'Admin key revoked');
  }
}

function assertValid(input: CreateAdminKeyDto): void {
  const errors = validateSync(plainToInstance(CreateAdminKeyDto, input), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  if (errors.length === 0) {
    return;
  }

  throw new AppException('validation_failed', 'The request has invalid fields.', {
    errors: errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map((message) => ({ field: error.property, message })),
    ),
  });
}
