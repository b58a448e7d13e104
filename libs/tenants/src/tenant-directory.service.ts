import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { TenantAccess, TenantDirectory, TtlCache } from '@app/auth';
import { TenantsRepository } from './tenants.repository';

/** Share of the cache bound after which a used entry is read again in the background. */
const REFRESH_AFTER = 0.75;
/** Wait before a failed background read is tried again; the entry still expires on time. */
const REFRESH_RETRY_MS = 1000;

interface CachedAccess {
  access: TenantAccess | null;
  refreshAt: number;
}

/**
 * Answers the guard's questions about tenants, caching each answer for the auth cache bound:
 * a suspension or deletion made elsewhere is seen within that bound, here at once (evict).
 *
 * An entry still in use is read again in the background before it expires, and concurrent
 * misses share one read, so a busy tenant's requests never queue behind a database read when
 * its entry ages out. No entry is ever used past the bound.
 */
@Injectable()
export class TenantDirectoryService implements TenantDirectory {
  private readonly logger = new Logger(TenantDirectoryService.name);
  private readonly cache: TtlCache<string, CachedAccess>;
  private readonly ttlMs: number;
  private readonly loading = new Map<string, Promise<TenantAccess | null>>();
  /** Bumped by every eviction, so a read that began before it never caches its answer. */
  private generation = 0;

  constructor(
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    this.ttlMs = config.get('authCacheTtlMs');
    this.cache = new TtlCache(this.ttlMs);
  }

  /** The cached answer alone, so the guard admits a cached key without a promise. */
  peekAccess(tenantId: string): TenantAccess | null | undefined {
    const now = Date.now();
    const entry = this.cache.get(tenantId, now);
    if (entry !== undefined && now >= entry.refreshAt) {
      this.refresh(tenantId, entry, now);
    }

    return entry?.access;
  }

  async findAccess(tenantId: string): Promise<TenantAccess | undefined> {
    const cached = this.peekAccess(tenantId);
    if (cached !== undefined) {
      return cached ?? undefined;
    }

    return (await this.load(tenantId)) ?? undefined;
  }

  async reserveKeySlot(tenantId: string): Promise<void> {
    if (await this.tenants.incrementKeyCount(tenantId)) {
      return;
    }

    const tenant = await this.tenants.get(tenantId);
    if (tenant === undefined || tenant.status === 'deleted') {
      throw new AppException('not_found', 'Tenant not found');
    }

    throw new AppException(
      'conflict',
      `The tenant already has its maximum of ${tenant.settings.maxKeys} keys`,
    );
  }

  async releaseKeySlot(tenantId: string): Promise<void> {
    await this.tenants.decrementKeyCount(tenantId);
  }

  evict(tenantId: string): void {
    this.generation++;
    this.cache.delete(tenantId);
  }

  /** One read per tenant at a time; every caller that missed meanwhile shares it. */
  private load(tenantId: string): Promise<TenantAccess | null> {
    let pending = this.loading.get(tenantId);
    if (pending === undefined) {
      pending = this.read(tenantId).finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, pending);
    }

    return pending;
  }

  private refresh(tenantId: string, entry: CachedAccess, now: number): void {
    // Until this read settles the entry is not due again; a failure retries after a pause.
    entry.refreshAt = Number.POSITIVE_INFINITY;
    this.load(tenantId).catch((error: unknown) => {
      entry.refreshAt = now + REFRESH_RETRY_MS;
      this.logger.warn(
        { tenantId, err: error },
        'Could not refresh a cached tenant; the cached answer expires on time',
      );
    });
  }

  private async read(tenantId: string): Promise<TenantAccess | null> {
    const generation = this.generation;
    const tenant = await this.tenants.get(tenantId);
    const access: TenantAccess | null =
      tenant === undefined || tenant.status === 'deleted'
        ? null
        : {
            status: tenant.status,
            defaultRateLimitPerMinute: tenant.settings.defaultRateLimitPerMinute,
            maxConcurrentJobs: tenant.settings.maxConcurrentJobs,
          };
    if (generation === this.generation) {
      this.cache.set(tenantId, { access, refreshAt: Date.now() + this.ttlMs * REFRESH_AFTER });
    }

    return access;
  }
}
