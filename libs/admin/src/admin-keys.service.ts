import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AdminCredentialVerifier,
  AdminKeyRecord,
  AdminKeyRepository,
  KeyMaterialService,
  Page,
  PageCursor,
  StepUpTokenRepository,
} from '@app/auth';
import { AppException } from '@app/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateAdminKeyDto } from './dto/create-admin-key.dto';
import { TotpService } from './totp.service';

const CURSOR_SHAPE = { createdAt: 'number', id: 'string' } as const;

interface AdminKeyCursor {
  createdAt: number;
  id: string;
}

export interface IssuedAdminKey {
  record: AdminKeyRecord;
  key: string;
  totpSecret: string;
  otpauthUrl: string;
}

/**
 * Admin key lifecycle: creation with its own TOTP secret, listing, revocation with a reason.
 * Methods that log take the request's id from the caller: a per-request async context costs too
 * much throughput. Callers outside a request pass a marker instead, such as `cli`.
 */
@Injectable()
export class AdminKeysService {
  private readonly logger = new Logger(AdminKeysService.name);

  constructor(
    @Inject(AdminKeyRepository) private readonly repository: AdminKeyRepository,
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(AdminCredentialVerifier) private readonly verifier: AdminCredentialVerifier,
    @Inject(TotpService) private readonly totp: TotpService,
    @Inject(StepUpTokenRepository) private readonly stepUpTokens: StepUpTokenRepository,
  ) {}

  /**
   * `createdBy` is `admin:<id>`, `bootstrap` or `cli`. The input is validated here too, because
   * the CLI does not pass the HTTP pipe: a stored bad CIDR range would break every use of the key.
   */
  async create(
    request: CreateAdminKeyDto,
    createdBy: string,
    requestId: string,
  ): Promise<IssuedAdminKey> {
    // The validated copy: its name is trimmed, as the HTTP pipe would have done.
    const input = validated(request);

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
    this.logger.log({ requestId, adminKeyId: record.id, createdBy }, 'Admin key created');

    return {
      record,
      key: material.secret,
      totpSecret,
      otpauthUrl: this.totp.uri(totpSecret, `${input.name} (${record.id})`),
    };
  }

  /**
   * Newest first, `limit` at a time. Admin keys are few (a handful per operator), so each page
   * reads them all and the cursor is the position of the last key shown, (createdAt, id): a key
   * created or revoked between pages neither repeats nor hides the others.
   */
  async list(limit = 25, cursor?: string): Promise<Page<AdminKeyRecord>> {
    const after = PageCursor.decode(cursor, CURSOR_SHAPE) as AdminKeyCursor | undefined;
    const records = await this.repository.list();

    const start = after === undefined ? 0 : records.findIndex((record) => isAfter(record, after));
    const items = start === -1 ? [] : records.slice(start, start + limit);
    const last = items.at(-1);
    const more = start !== -1 && start + limit < records.length;

    return {
      items,
      nextCursor:
        more && last !== undefined
          ? PageCursor.encode({ createdAt: last.createdAt, id: last.id })
          : null,
    };
  }

  /**
   * Idempotent, like a tenant key's revocation: an already revoked key answers as revoked
   * (204); only a key that does not exist is a 404. The key's step-up tokens are deleted too,
   * again on a repeated call, in case an earlier one could not.
   */
  async revoke(
    adminKeyId: string,
    reason: string,
    actorKeyId: string,
    requestId: string,
  ): Promise<void> {
    const outcome = await this.repository.revoke(adminKeyId, reason, Date.now());
    this.verifier.evict(adminKeyId);
    if (outcome === 'missing') {
      throw new AppException('not_found', 'Admin key not found');
    }
    if (outcome === 'last') {
      throw new AppException('last_admin_key', 'The last active admin key cannot be revoked.');
    }

    const stepUpsEnded = await this.endStepUps(adminKeyId, actorKeyId, requestId);
    if (outcome === 'already') {
      this.logger.log(
        { requestId, adminKeyId, actorKeyId, stepUpsEnded },
        'Admin key was already revoked',
      );

      return;
    }

    this.logger.log({ requestId, adminKeyId, actorKeyId, stepUpsEnded }, 'Admin key revoked');
  }

  /**
   * A clean-up, not the guarantee: every mutation re-reads its admin key, so a token left behind
   * by a failure here is refused anyway. The revocation itself has happened, so it still answers.
   */
  private async endStepUps(
    adminKeyId: string,
    actorKeyId: string,
    requestId: string,
  ): Promise<number | undefined> {
    try {
      return await this.stepUpTokens.deleteForAdminKey(adminKeyId);
    } catch (error) {
      this.logger.warn(
        { err: error, requestId, adminKeyId, actorKeyId },
        'Could not delete the step-up tokens of a revoked admin key; they are refused anyway',
      );

      return undefined;
    }
  }
}

/** The listing's order is newest first, then by id; a record is "after" the cursor in it. */
function isAfter(record: AdminKeyRecord, cursor: AdminKeyCursor): boolean {
  return (
    record.createdAt < cursor.createdAt ||
    (record.createdAt === cursor.createdAt && record.id > cursor.id)
  );
}

function validated(input: CreateAdminKeyDto): CreateAdminKeyDto {
  const instance = plainToInstance(CreateAdminKeyDto, input);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  if (errors.length === 0) {
    return instance;
  }

  throw new AppException('validation_failed', 'The request has invalid fields.', {
    errors: errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map((message) => ({ field: error.property, message })),
    ),
  });
}
