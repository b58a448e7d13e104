import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { CredentialRejection } from '../access/credential-rejection';
import { TtlCache } from '../cache/ttl-cache';
import { KeyMaterialService } from '../keys/key-material.service';
import { CidrMatcher } from '../network/cidr-matcher';
import { TenantPrincipal } from '../principal/principal';
import { Scope } from '../principal/scope';
import { TENANT_DIRECTORY, TenantDirectory } from '../tenancy/tenant-directory';
import { ApiKeyRepository } from './api-key.repository';

const LAST_USED_INTERVAL_MS = 60000;

/** What the hot path keeps about a verified key; the tenant's state is cached separately. */
interface CachedKey {
  keyId: string;
  tenantId: string;
  scopes: readonly Scope[];
  expiresAt?: number;
  cidrs?: CidrMatcher;
  rateLimitPerMinute?: number;
}

/** A tenant key that passed every check but the route's own (scopes, client address). */
export interface VerifiedApiKey {
  principal: TenantPrincipal;
  cidrs?: CidrMatcher;
}

/**
 * Verifies tenant API keys. Shape first (no I/O), then the HMAC, then the cache keyed by that
 * HMAC (never the key), then one strongly consistent read by the id derived from the HMAC.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly logger = new Logger(ApiKeyVerifier.name);
  private readonly cache: TtlCache<string, CachedKey>;
  private readonly recentlyTouched = new TtlCache<string, true>(LAST_USED_INTERVAL_MS, 100000);

  constructor(
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(ApiKeyRepository) private readonly repository: ApiKeyRepository,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    this.cache = new TtlCache(config.get('authCacheTtlMs'));
  }

  async verify(presented: string): Promise<VerifiedApiKey> {
    const recognised = this.keys.recognise(presented, 'tenant');
    if (recognised === undefined) {
      throw new CredentialRejection('malformed');
    }

    const key = this.cache.get(recognised.hash) ?? (await this.load(recognised));
    const now = Date.now();
    if (key.expiresAt !== undefined && key.expiresAt <= now) {
      throw new CredentialRejection('expired', { keyId: key.keyId, tenantId: key.tenantId });
    }

    const tenant = await this.tenants.findAccess(key.tenantId);
    if (tenant === undefined) {
      throw new CredentialRejection('tenant_deleted', { keyId: key.keyId, tenantId: key.tenantId });
    }
    if (tenant.status === 'suspended') {
      throw new AppException('tenant_suspended', 'The tenant of this key is suspended');
    }
    this.touch(key.keyId, now);

    return {
      principal: {
        kind: 'tenant',
        method: 'api_key',
        tenantId: key.tenantId,
        keyId: key.keyId,
        scopes: key.scopes,
        rateLimitPerMinute: key.rateLimitPerMinute ?? tenant.defaultRateLimitPerMinute,
      },
      cidrs: key.cidrs,
    };
  }

  /** Forgets a key on this instance at once (revocation, rotation). */
  evict(keyId: string): void {
    this.cache.deleteWhere((entry) => entry.keyId === keyId);
  }

  private async load(recognised: { id: string; hash: string }): Promise<CachedKey> {
    const record = await this.repository.get(recognised.id);
    if (record === undefined || !this.keys.hashMatches(record.keyHash, recognised.hash)) {
      throw new CredentialRejection('unknown');
    }
    if (record.status !== 'active') {
      throw new CredentialRejection('revoked', { keyId: record.id, tenantId: record.tenantId });
    }

    const entry: CachedKey = {
      keyId: record.id,
      tenantId: record.tenantId,
      scopes: Object.freeze([...record.scopes]),
      expiresAt: record.expiresAt,
      cidrs: record.allowedCidrs?.length ? new CidrMatcher(record.allowedCidrs) : undefined,
      rateLimitPerMinute: record.rateLimitPerMinute,
    };
    this.cache.set(recognised.hash, entry);

    return entry;
  }

  /** Off the response path: a failed write is logged and never fails the request. */
  private touch(keyId: string, now: number): void {
    if (this.recentlyTouched.get(keyId) !== undefined) {
      return;
    }
    this.recentlyTouched.set(keyId, true);
    this.repository.touch(keyId, now, LAST_USED_INTERVAL_MS).catch((error: unknown) => {
      this.logger.warn({ err: error, keyId }, 'Could not record the last use of an API key');
    });
  }
}
