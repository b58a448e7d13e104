import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { CredentialRejection } from '../access/credential-rejection.error';
import { RefreshingCache, RefreshingEntry } from '../cache/refreshing.cache';
import { TtlCache } from '../cache/ttl.cache';
import { KeyMaterialService } from '../keys/key-material.service';
import { CidrMatcher } from '../network/cidr.matcher';
import { TenantPrincipal } from '../principal/principal.types';
import { Scope } from '../principal/scope.types';
import { TENANT_DIRECTORY, TenantAccess, TenantDirectory } from '../tenancy/tenant-directory.types';
import { ApiKeyRepository } from './api-key.repository';

const LAST_USED_INTERVAL_MS = 60000;
/** Refused keys remembered at once; a flood of distinct keys pushes out the oldest. */
const MAX_REMEMBERED_REFUSALS = 10000;

/**
 * When a key's last use is next due to be written. One per cached key, shared by every answer
 * given for it, so recording a use allocates nothing.
 */
export interface KeyUsage {
  readonly keyId: string;
  /** Until then the key's last use is known to be recorded recently: no lookup needed. */
  touchDueAt: number;
}

/** What the hot path keeps about a verified key; the tenant's state is cached separately. */
interface CachedKey extends KeyUsage {
  tenantId: string;
  scopes: readonly Scope[];
  expiresAt?: number;
  cidrs?: CidrMatcher;
  rateLimitPerMinute?: number;
  /** The answer last given for this key, reused while the tenant's default limit is unchanged. */
  admitted?: VerifiedApiKey;
}

/** A tenant key that passed every check but the route's own (scopes, client address). */
export interface VerifiedApiKey {
  readonly principal: TenantPrincipal;
  readonly cidrs?: CidrMatcher;
  /** Handed back to recordUse once the route's own checks admitted the request. */
  readonly usage: KeyUsage;
}

/**
 * Verifies tenant API keys. Shape first (no I/O), then the cache keyed by the key's fingerprint
 * (never the key itself); on a miss only, the peppered HMAC, the id derived from it and one
 * strongly consistent read by that id.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly logger = new Logger(ApiKeyVerifier.name);
  private readonly cache: RefreshingCache<string, CachedKey>;
  /**
   * Unknown and revoked keys by fingerprint, for the same bound as admitted ones, so a client
   * retrying a dead key costs no database read per attempt. Both states are final: a key is
   * never issued after it was first presented, and a revoked key never becomes active again.
   */
  private readonly refused: TtlCache<string, CredentialRejection>;

  /** When each key's last use was recorded by this instance. */
  private readonly recentlyTouched = new TtlCache<string, number>(LAST_USED_INTERVAL_MS, 100000);

  constructor(
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(ApiKeyRepository) private readonly repository: ApiKeyRepository,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    const ttlMs = config.get('authCacheTtlMs');
    this.cache = new RefreshingCache(ttlMs);
    this.refused = new TtlCache(ttlMs, MAX_REMEMBERED_REFUSALS);
  }

  /**
   * Admits a presented key or throws why not: a CredentialRejection (one uniform 401), or an
   * AppException for a suspended tenant. A key and tenant both in memory are answered
   * synchronously, with no promise and no allocation (most requests); anything needing I/O
   * answers through a promise, which rejects with the same errors.
   */
  verify(presented: string): VerifiedApiKey | Promise<VerifiedApiKey> {
    const fingerprint = this.keys.fingerprintIfWellFormed(presented, 'tenant');
    if (fingerprint === undefined) {
      throw new CredentialRejection('malformed');
    }

    const now = Date.now();
    const entry = this.cache.entry(fingerprint, now);
    if (entry === undefined) {
      const refusal = this.refused.get(fingerprint, now);
      if (refusal !== undefined) {
        throw refusal;
      }

      return this.verifyUncached(presented, fingerprint);
    }
    if (this.cache.isDue(entry, now)) {
      this.refresh(presented, fingerprint, entry);
    }

    return this.admitCached(entry.value, now);
  }

  /**
   * Records that the key was used, at most once a minute per key. Called by the access guard
   * only once the request is admitted (scopes and client address included): a refused request
   * is not a use. Allocation-free unless a write is due.
   */
  recordUse(usage: KeyUsage, now = Date.now()): void {
    if (now >= usage.touchDueAt) {
      this.touch(usage, now);
    }
  }

  /** Forgets a key on this instance at once (revocation, rotation). */
  evict(keyId: string): void {
    this.cache.deleteWhere((entry) => entry.keyId === keyId);
  }

  private admitCached(key: CachedKey, now: number): VerifiedApiKey | Promise<VerifiedApiKey> {
    refuseIfExpired(key, now);
    const tenant = this.tenants.peekAccess(key.tenantId);
    if (tenant === undefined) {
      return this.admitAfterTenantLookup(key);
    }

    return this.admit(key, tenant ?? undefined);
  }

  private async admitAfterTenantLookup(key: CachedKey): Promise<VerifiedApiKey> {
    const tenant = await this.tenants.findAccess(key.tenantId);

    return this.admit(key, tenant);
  }

  private async verifyUncached(presented: string, fingerprint: string): Promise<VerifiedApiKey> {
    const key = await this.cache.load(fingerprint, () => this.load(presented, fingerprint));
    const now = Date.now();
    refuseIfExpired(key, now);
    const tenant = await this.tenants.findAccess(key.tenantId);

    return this.admit(key, tenant);
  }

  /** The tenant's checks, then the answer, built once per key and tenant default limit. */
  private admit(key: CachedKey, tenant: TenantAccess | undefined): VerifiedApiKey {
    if (tenant === undefined) {
      throw new CredentialRejection('tenant_deleted', { keyId: key.keyId, tenantId: key.tenantId });
    }
    if (tenant.status === 'suspended') {
      throw new AppException('tenant_suspended', 'The tenant of this key is suspended');
    }
    const rateLimitPerMinute = key.rateLimitPerMinute ?? tenant.defaultRateLimitPerMinute;
    const previous = key.admitted;
    if (previous !== undefined && previous.principal.rateLimitPerMinute === rateLimitPerMinute) {
      return previous;
    }

    // Frozen: the same principal is handed to every request that presents this key.
    const admitted = Object.freeze({
      principal: Object.freeze<TenantPrincipal>({
        kind: 'tenant',
        method: 'api_key',
        tenantId: key.tenantId,
        keyId: key.keyId,
        scopes: key.scopes,
        rateLimitPerMinute,
      }),
      cidrs: key.cidrs,
      usage: key,
    });
    key.admitted = admitted;

    return admitted;
  }

  /**
   * Reads a key still in use again before its entry expires, so that its requests never wait
   * for the database when the entry ages out. A key found revoked or gone meanwhile leaves the
   * cache at once; a failed read leaves the entry to expire on time.
   */
  private refresh(presented: string, fingerprint: string, entry: RefreshingEntry<CachedKey>): void {
    const key = entry.value;
    this.cache.refresh(
      fingerprint,
      entry,
      () => this.load(presented, fingerprint),
      (error) => {
        if (error instanceof CredentialRejection) {
          return 'drop';
        }

        this.logger.warn(
          { err: error, keyId: key.keyId, tenantId: key.tenantId },
          'Could not refresh a cached API key; the cached answer expires on time',
        );

        return 'keep';
      },
    );
  }

  private async load(presented: string, fingerprint: string): Promise<CachedKey> {
    // The HMAC and the id are computed here, on a read only: a hit needs only the fingerprint.
    const hash = this.keys.hashOf(presented);
    const record = await this.repository.get(this.keys.idOf(hash, 'tenant'));
    if (record === undefined || !this.keys.hashMatches(record.keyHash, hash)) {
      throw this.remember(fingerprint, new CredentialRejection('unknown'));
    }
    if (record.status !== 'active') {
      throw this.remember(
        fingerprint,
        new CredentialRejection('revoked', { keyId: record.id, tenantId: record.tenantId }),
      );
    }

    return {
      keyId: record.id,
      tenantId: record.tenantId,
      scopes: Object.freeze([...record.scopes]),
      expiresAt: record.expiresAt,
      cidrs: record.allowedCidrs?.length ? new CidrMatcher(record.allowedCidrs) : undefined,
      rateLimitPerMinute: record.rateLimitPerMinute,
      admitted: undefined,
      touchDueAt: 0,
    };
  }

  private remember(fingerprint: string, refusal: CredentialRejection): CredentialRejection {
    this.refused.set(fingerprint, refusal);

    return refusal;
  }

  /** Off the response path: a failed write is logged and never fails the request. */
  private touch(key: KeyUsage, now: number): void {
    const touchedAt = this.recentlyTouched.get(key.keyId, now);
    if (touchedAt !== undefined) {
      key.touchDueAt = touchedAt + LAST_USED_INTERVAL_MS;

      return;
    }

    this.recentlyTouched.set(key.keyId, now);
    key.touchDueAt = now + LAST_USED_INTERVAL_MS;
    this.repository.touch(key.keyId, now, LAST_USED_INTERVAL_MS).catch((error: unknown) => {
      this.logger.warn(
        { err: error, keyId: key.keyId },
        'Could not record the last use of an API key',
      );
    });
  }
}

/** Expiry is checked on every request, cached or not (rotation grace periods rely on it). */
function refuseIfExpired(key: CachedKey, now: number): void {
  if (key.expiresAt !== undefined && key.expiresAt <= now) {
    throw new CredentialRejection('expired', { keyId: key.keyId, tenantId: key.tenantId });
  }
}
