import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { KeyMaterialService } from '../keys/key-material.service';
import { cidrsOutside } from '../network/cidr-range.util';
import { Page, PageCursor } from '../pagination/page-cursor.codec';
import { Principal, TenantPrincipal } from '../principal/principal.types';
import { Scope } from '../principal/scope.types';
import { stripUndefined } from '../storage/strip-undefined.helper';
import { parseRfc3339 } from '../validation/rfc3339.validator';
import { TENANT_DIRECTORY, TenantDirectory } from '../tenancy/tenant-directory.types';
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

/** The limits a tenant key may hand on: a key it creates or rotates gets no more than these. */
interface Fences {
  keyId: string;
  expiresAt?: number;
  /** Undefined when the key may be used from anywhere. */
  allowedCidrs?: readonly string[];
  /** Its effective limit (override, else the tenant default); undefined when unlimited. */
  rateLimitPerMinute?: number;
  tenantDefaultRateLimit?: number;
}

type FencedSettings = Pick<ApiKeySettings, 'expiresAt' | 'allowedCidrs' | 'rateLimitPerMinute'>;

/**
 * API key lifecycle for both operators and tenants. A tenant principal can only ever reach its
 * own tenant: a key of another tenant answers 404, exactly as a key that does not exist. Methods
 * that log take the request's id from the caller: a per-request async context costs throughput.
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

  async create(
    actor: Principal,
    tenantId: string,
    input: CreateApiKeyDto,
    requestId: string,
  ): Promise<IssuedApiKey> {
    await this.assertReach(actor, tenantId);

    const expiresAt = this.expiryOf(input.expiresAt);

    this.assertGrantable(actor, input.scopes);

    // Checked before a key slot is taken, so a refusal leaves nothing behind.
    const requested: FencedSettings = {
      expiresAt,
      allowedCidrs: input.allowedCidrs,
      rateLimitPerMinute: input.rateLimitPerMinute,
    };
    const fenced =
      actor.kind === 'tenant'
        ? this.withinFences(await this.fencesOf(actor, requestId), requested, requestId)
        : requested;

    await this.tenants.reserveKeySlot(tenantId);
    try {
      const issued = await this.issue(actor, tenantId, {
        name: input.name,
        scopes: input.scopes,
        ...fenced,
        metadata: input.metadata,
      });
      this.logger.log(
        { requestId, tenantId, keyId: issued.record.id, scopes: input.scopes },
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
  async revoke(
    actor: Principal,
    tenantId: string,
    keyId: string,
    requestId: string,
  ): Promise<void> {
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
        this.logger.warn(
          { err: error, requestId, tenantId, keyId },
          'Could not release a key slot',
        );
      });
    }

    this.logger.log({ requestId, tenantId, keyId }, 'API key revoked');
  }

  /**
   * Issues a replacement with the same settings; the old key works for the grace period (never
   * past its own expiry), or stops now with no grace. A key is rotated at most once.
   */
  async rotate(
    actor: Principal,
    tenantId: string,
    keyId: string,
    graceSeconds: number | undefined,
    requestId: string,
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

    // Rotating hands out a new key with the old one's scopes and fences: that is granting them.
    // The replacement keeps the old key's own fences; one broader than the caller's is refused,
    // never narrowed, so a rotation never silently changes what the key can do.
    this.assertGrantable(actor, current.scopes);
    if (actor.kind === 'tenant') {
      this.assertRotatable(await this.fencesOf(actor, requestId), current, requestId);
    }

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

    const grace = Math.min(graceSeconds ?? 0, MAX_GRACE_SECONDS) * 1000;
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
      { requestId, tenantId, keyId, newKeyId: issued.record.id, graceSeconds: grace / 1000 },
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
   * The pipe admits only RFC 3339 date-times with an offset; parsed again here with the same
   * rule, so no caller that skips the pipe can store a NaN (the marshaller's 500) or a time read
   * in the server's zone.
   */
  private expiryOf(text: string | undefined): number | undefined {
    if (text === undefined) {
      return undefined;
    }

    const expiresAt = parseRfc3339(text);
    if (expiresAt === undefined) {
      throw invalidExpiry('expiresAt must be an RFC 3339 date-time with an offset');
    }
    if (expiresAt <= Date.now()) {
      throw invalidExpiry('expiresAt must be in the future');
    }

    return expiresAt;
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

  /**
   * The calling key's fences, from its record rather than the guard's cached principal, so a key
   * changed a moment ago is judged as it is now. A credential without a record of this tenant
   * (a token, or a key gone since the guard admitted it) may hand on nothing.
   */
  private async fencesOf(actor: TenantPrincipal, requestId: string): Promise<Fences> {
    const caller = await this.repository.get(actor.keyId);
    if (caller === undefined || caller.tenantId !== actor.tenantId) {
      this.logger.warn(
        { requestId, tenantId: actor.tenantId, keyId: actor.keyId, method: actor.method },
        'No key record for the caller: refusing to issue a key',
      );
      throw new AppException('forbidden', 'This credential cannot issue API keys.');
    }

    const tenantDefaultRateLimit = (await this.tenants.findAccess(actor.tenantId))
      ?.defaultRateLimitPerMinute;

    return {
      keyId: caller.id,
      expiresAt: caller.expiresAt,
      allowedCidrs: caller.allowedCidrs?.length ? caller.allowedCidrs : undefined,
      rateLimitPerMinute: caller.rateLimitPerMinute ?? tenantDefaultRateLimit,
      tenantDefaultRateLimit,
    };
  }

  /**
   * The settings of a key created by a fenced caller: an omitted fence is inherited, one wider
   * than the caller's is refused (403, naming the field). A key never outlasts, outreaches or
   * outpaces the key that created it.
   */
  private withinFences(
    fences: Fences,
    requested: FencedSettings,
    requestId: string,
  ): FencedSettings {
    const settled: FencedSettings = { ...requested };

    if (fences.expiresAt !== undefined) {
      settled.expiresAt ??= fences.expiresAt;
      if (settled.expiresAt > fences.expiresAt) {
        throw this.beyondFences(
          fences,
          'expiresAt',
          "expiresAt cannot be later than the calling key's expiry",
          requestId,
        );
      }
    }

    if (fences.allowedCidrs !== undefined) {
      settled.allowedCidrs ??= [...fences.allowedCidrs];
      this.assertCidrsWithin(fences, settled.allowedCidrs, 'allowedCidrs', requestId);
    }

    if (fences.rateLimitPerMinute !== undefined) {
      if (settled.rateLimitPerMinute === undefined) {
        // Without an override the key would get the tenant default; only keep that if it fits.
        const inherited = fences.tenantDefaultRateLimit;
        if (inherited === undefined || inherited > fences.rateLimitPerMinute) {
          settled.rateLimitPerMinute = fences.rateLimitPerMinute;
        }
      } else if (settled.rateLimitPerMinute > fences.rateLimitPerMinute) {
        throw this.beyondFences(
          fences,
          'rateLimitPerMinute',
          `rateLimitPerMinute cannot exceed the calling key's limit of ${fences.rateLimitPerMinute}`,
          requestId,
        );
      }
    }

    return settled;
  }

  /** A rotation by a tenant key must not hand it a key broader than itself. */
  private assertRotatable(fences: Fences, current: ApiKeyRecord, requestId: string): void {
    if (
      fences.expiresAt !== undefined &&
      (current.expiresAt === undefined || current.expiresAt > fences.expiresAt)
    ) {
      throw this.beyondFences(
        fences,
        'expiresAt',
        'the key to rotate expires later than the calling key, or never',
        requestId,
      );
    }

    if (fences.allowedCidrs !== undefined) {
      this.assertCidrsWithin(fences, current.allowedCidrs ?? [], 'the key to rotate', requestId);
    }

    const limit = current.rateLimitPerMinute ?? fences.tenantDefaultRateLimit;
    if (
      fences.rateLimitPerMinute !== undefined &&
      (limit === undefined || limit > fences.rateLimitPerMinute)
    ) {
      throw this.beyondFences(
        fences,
        'rateLimitPerMinute',
        `the key to rotate allows more than the calling key's ${fences.rateLimitPerMinute} per minute`,
        requestId,
      );
    }
  }

  /** An empty list means "from anywhere", so a fenced caller can never grant one. */
  private assertCidrsWithin(
    fences: Fences,
    cidrs: readonly string[],
    subject: string,
    requestId: string,
  ): void {
    const allowed = fences.allowedCidrs ?? [];
    if (cidrs.length === 0) {
      throw this.beyondFences(
        fences,
        'allowedCidrs',
        `${subject} cannot be usable from anywhere: the calling key is limited to its ranges`,
        requestId,
      );
    }

    const outside = cidrsOutside(cidrs, allowed);
    if (outside.length > 0) {
      throw this.beyondFences(
        fences,
        'allowedCidrs',
        `${subject} must lie within the calling key's ranges; outside them: ${outside.join(', ')}`,
        requestId,
      );
    }
  }

  private beyondFences(
    fences: Fences,
    field: keyof FencedSettings,
    message: string,
    requestId: string,
  ): AppException {
    this.logger.warn(
      { requestId, keyId: fences.keyId, field },
      'Refused to grant more than the calling key has',
    );

    return new AppException('forbidden', 'A key can only grant limits within its own.', {
      errors: [{ field, message }],
    });
  }
}

function invalidExpiry(message: string): AppException {
  return new AppException('validation_failed', 'The request has invalid fields.', {
    errors: [{ field: 'expiresAt', message }],
  });
}
