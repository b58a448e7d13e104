import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { RefreshingCache, TenantAccess, TenantDirectory } from '@app/auth';
import { TenantsRepository } from './tenants.repository';

/**
 * Answers the guard's questions about tenants, caching each answer for the auth cache bound:
 * a suspension or deletion made elsewhere is seen within that bound, here at once (evict).
 *
 * Entries in use are read again before they expire and concurrent misses share one read
 * (RefreshingCache), so a busy tenant's requests never queue behind the database.
 */
@Injectable()
export class TenantDirectoryService implements TenantDirectory {
  private readonly logger = new Logger(TenantDirectoryService.name);
  private readonly cache: RefreshingCache<string, TenantAccess | null>;

  constructor(
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    this.cache = new RefreshingCache(config.get('authCacheTtlMs'));
  }

  /** The cached answer alone, so the guard admits a cached key without a promise. */
  peekAccess(tenantId: string): TenantAccess | null | undefined {
    const now = Date.now();
    const entry = this.cache.entry(tenantId, now);
    if (entry !== undefined && this.cache.isDue(entry, now)) {
      this.cache.refresh(
        tenantId,
        entry,
        () => this.read(tenantId),
        (error) => {
          this.logger.warn(
            { tenantId, err: error },
            'Could not refresh a cached tenant; the cached answer expires on time',
          );

          return 'keep';
        },
      );
    }

    return entry?.value;
  }

  async findAccess(tenantId: string): Promise<TenantAccess | undefined> {
    const cached = this.peekAccess(tenantId);
    if (cached !== undefined) {
      return cached ?? undefined;
    }

    return (await this.cache.load(tenantId, () => this.read(tenantId))) ?? undefined;
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
    this.cache.delete(tenantId);
  }

  private async read(tenantId: string): Promise<TenantAccess | null> {
    const tenant = await this.tenants.get(tenantId);

    return tenant === undefined || tenant.status === 'deleted'
      ? null
      : {
          status: tenant.status,
          defaultRateLimitPerMinute: tenant.settings.defaultRateLimitPerMinute,
          maxConcurrentJobs: tenant.settings.maxConcurrentJobs,
        };
  }
}
