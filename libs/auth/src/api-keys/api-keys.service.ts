import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { KeyMaterialService } from '../keys/key-material.service';
import { Page, PageCursor } from '../pagination/page-cursor';
import { Principal } from '../principal/principal';
import { Scope } from '../principal/scope';
import { stripUndefined } from '../storage/strip-undefined.helper';
import { TENANT_DIRECTORY, TenantDirectory } from '../tenancy/tenant-directory';
import { ApiKeyRecord, ApiKeySettings } from './api-key.record';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyVerifier } from './api-key.verifier';
import { CreateApiKeyDto } from './create-api-key.dto';

const CURSOR_SHAPE = { id: 'string', tenantId: 'string', createdAt: 'number' } as const;
const MAX_GRACE_SECONDS = 86400;

export interface IssuedApiKey {
  record: ApiKeyRecord;
  key: string;
}

/**
 * API key lifecycle for both operators and tenants. A tenant principal can only ever reach its
 * own tenant: a key of another tenant answers 404, exactly as a key that does not exist.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    @Inject(ApiKeyRepository) private readonly repository: ApiKeyRepository,
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(ApiKeyVerifier) private readonly verifier: ApiKeyVerifier,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  async create(actor: Principal, tenantId: string, input: CreateApiKeyDto): Promise<IssuedApiKey> {
    await this.assertReach(actor, tenantId);

    const expiresAt = input.expiresAt === undefined ? undefined : Date.parse(input.expiresAt);
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      throw new AppException('validation_failed', 'The request has invalid fields.', {
        errors: [{ field: 'expiresAt', message: 'expiresAt must be in the future' }],
      });
    }

    this.assertGrantable(actor, input.scopes);

    await this.tenants.reserveKeySlot(tenantId);
    try {
      const issued = await this.issue(actor, tenantId, {
        name: input.name,
        scopes: input.scopes,
        expiresAt,
        allowedCidrs: input.allowedCidrs,
        rateLimitPerMinute: input.rateLimitPerMinute,
        metadata: input.metadata,
      });
      this.logger.log(
        { tenantId, keyId: issued.record.id, scopes: input.scopes },
        'API key created',
      );

      return issued;
    } catch (error) {
      await this.tenants.releaseKeySlot(tenantId);
      throw error;
    }
  }

  async list(
    actor: Principal,
    tenantId: string,
    limit = 25,
    cursor?: string,
  ): Promise<Page<ApiKeyRecord>> {
    await this.assertReach(actor, tenantId);

    const startKey = PageCursor.decode(cursor, CURSOR_SHAPE, { tenantId });
    const { items, lastKey } = await this.repository.listByTenant(tenantId, limit, startKey);

    return { items, nextCursor: PageCursor.encode(lastKey) };
  }

  async get(actor: Principal, tenantId: string, keyId: string): Promise<ApiKeyRecord> {
    await this.assertReach(actor, tenantId);

    const record = await this.repository.get(keyId);
    if (record === undefined || record.tenantId !== tenantId) {
      throw new AppException('not_found', 'API key not found');
    }

    return record;
  }

  /** Immediate on this instance, within the auth cache bound everywhere else; idempotent. */
  async revoke(actor: Principal, tenantId: string, keyId: string): Promise<void> {
    await this.assertReach(actor, tenantId);

    const previous = await this.repository.revoke(tenantId, keyId, Date.now());
    this.verifier.evict(keyId);
    if (previous === undefined) {
      // Nothing changed: either not this tenant's key (404) or already revoked (done).
      await this.get(actor, tenantId, keyId);

      return;
    }
    if (previous.rotatedToKeyId === undefined) {
      await this.tenants.releaseKeySlot(tenantId).catch((error: unknown) => {
        this.logger.warn({ err: error, tenantId, keyId }, 'Could not release a key slot');
      });
    }

    this.logger.log({ tenantId, keyId }, 'API key revoked');
  }

  /**
   * Issues a replacement with the same settings; the old key works for the grace period (never
   * past its own expiry), or stops now with no grace. A key is rotated at most once.
   */
  async rotate(
    actor: Principal,
    tenantId: string,
    keyId: string,
    graceSeconds = 0,
  ): Promise<IssuedApiKey> {
    const current = await this.get(actor, tenantId, keyId);
    const now = Date.now();
    if (
      current.status !== 'active' ||
      (current.expiresAt !== undefined && current.expiresAt <= now)
    ) {
      throw new AppException('conflict', 'Only an active, unexpired key can be rotated');
    }
    if (current.rotatedToKeyId !== undefined) {
      throw new AppException('conflict', 'This key was already rotated');
    }

    // Rotating hands out a new key with the old one's scopes: that is granting them.
    this.assertGrantable(actor, current.scopes);

    const issued = await this.issue(
      actor,
      tenantId,
      {
        name: current.name,
        scopes: current.scopes,
        expiresAt: current.expiresAt,
        allowedCidrs: current.allowedCidrs,
        rateLimitPerMinute: current.rateLimitPerMinute,
        metadata: current.metadata,
      },
      current.id,
    );

    const grace = Math.min(graceSeconds, MAX_GRACE_SECONDS) * 1000;
    const graceEndsAt =
      grace === 0 ? undefined : Math.min(now + grace, current.expiresAt ?? Number.MAX_SAFE_INTEGER);
    const linked = await this.repository.markRotated(
      tenantId,
      keyId,
      issued.record.id,
      graceEndsAt,
      now,
    );
    this.verifier.evict(keyId);
    if (!linked) {
      // A concurrent rotation or revocation won: withdraw the replacement we just made.
      await this.repository.delete(issued.record.id);
      throw new AppException('conflict', 'The key changed while rotating it; nothing was rotated');
    }

    this.logger.log(
      { tenantId, keyId, newKeyId: issued.record.id, graceSeconds: grace / 1000 },
      'API key rotated',
    );

    return issued;
  }

  private async issue(
    actor: Principal,
    tenantId: string,
    settings: ApiKeySettings,
    rotatedFromKeyId?: string,
  ): Promise<IssuedApiKey> {
    const material = this.keys.issueTenantKey();
    const now = Date.now();
    const record: ApiKeyRecord = {
      id: material.id,
      tenantId,
      keyHash: material.hash,
      displayPrefix: material.displayPrefix,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      createdBy: actor.kind === 'admin' ? `admin:${actor.adminKeyId}` : `key:${actor.keyId}`,
      ...stripUndefined(settings),
      name: settings.name,
      scopes: [...settings.scopes],
      ...(rotatedFromKeyId ? { rotatedFromKeyId } : {}),
    };
    await this.repository.create(record);

    return { record, key: material.secret };
  }

  /**
   * A tenant principal reaches its own tenant only; anything else looks like nothing. Operators
   * name the tenant in the path, so a deleted or unknown one answers 404 before any key is read
   * or written (the guard already vouches for a tenant principal's own tenant).
   */
  private async assertReach(actor: Principal, tenantId: string): Promise<void> {
    if (actor.kind === 'tenant') {
      if (actor.tenantId !== tenantId) {
        throw new AppException('not_found', 'API key not found');
      }

      return;
    }

    if ((await this.tenants.findAccess(tenantId)) === undefined) {
      throw new AppException('not_found', 'Tenant not found');
    }
  }

  private assertGrantable(actor: Principal, scopes: readonly Scope[]): void {
    if (actor.kind !== 'tenant') {
      return;
    }

    const beyond = scopes.filter((scope) => !actor.scopes.includes(scope));
    if (beyond.length > 0) {
      throw new AppException(
        'insufficient_scope',
        `A key can only grant scopes it holds; this one lacks: ${beyond.join(', ')}.`,
      );
    }
  }
}
