import { Inject, Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { TenantAccess, TenantDirectory, TtlCache } from '@app/auth';
import { TenantsRepository } from './tenants.repository';

/**
 * Answers the guard's questions about tenants, caching each answer for the auth cache bound:
 * a suspension or deletion made elsewhere is seen within that bound, here at once (evict).
 */
@Injectable()
export class TenantDirectoryService implements TenantDirectory {
  private readonly cache: TtlCache<string, TenantAccess | null>;

  constructor(
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    this.cache = new TtlCache(config.get('authCacheTtlMs'));
  }

  /** The cached answer alone, so the guard admits a cached key without a promise. */
  peekAccess(tenantId: string): TenantAccess | null | undefined {
    return this.cache.get(tenantId);
  }

  async findAccess(tenantId: string): Promise<TenantAccess | undefined> {
    const cached = this.cache.get(tenantId);
    if (cached !== undefined) {
      return cached ?? undefined;
    }

    const tenant = await this.tenants.get(tenantId);
    const access: TenantAccess | null =
      tenant === undefined || tenant.status === 'deleted'
        ? null
        : {
            status: tenant.status,
            defaultRateLimitPerMinute: tenant.settings.defaultRateLimitPerMinute,
            maxConcurrentJobs: tenant.settings.maxConcurrentJobs,
          };
    this.cache.set(tenantId, access);

    return access ?? undefined;
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
}
