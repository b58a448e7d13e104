import { AppConfigService } from '@app/config';
import { TenantRecord } from './tenant.record';
import { TenantDirectoryService } from './tenant-directory.service';
import { TenantsRepository } from './tenants.repository';

/** Tenants in memory, counting reads; stands in for the table the directory reads. */
class InMemoryTenants {
  reads = 0;
  readonly records = new Map<string, TenantRecord>();

  async get(id: string): Promise<TenantRecord | undefined> {
    this.reads++;
    await new Promise(setImmediate);

    return this.records.get(id);
  }
}

function tenant(status: TenantRecord['status']): TenantRecord {
  return {
    id: 'ten_1',
    name: 'Acme',
    status,
    plan: 'starter',
    settings: {
      defaultRateLimitPerMinute: 60,
      maxKeys: 5,
      allowedCorsOrigins: [],
      maxConcurrentJobs: 2,
    },
    keyCount: 0,
    createdAt: 0,
    updatedAt: 0,
  };
}

function directory(): { service: TenantDirectoryService; tenants: InMemoryTenants } {
  const tenants = new InMemoryTenants();
  tenants.records.set('ten_1', tenant('active'));
  const config = { get: () => 5000 } as unknown as AppConfigService;

  return {
    service: new TenantDirectoryService(tenants as unknown as TenantsRepository, config),
    tenants,
  };
}

describe(TenantDirectoryService.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('should share one read among concurrent lookups of a tenant', async () => {
    const { service, tenants } = directory();

    const answers = await Promise.all([1, 2, 3].map(() => service.findAccess('ten_1')));

    expect(answers.map((answer) => answer?.status)).toEqual(['active', 'active', 'active']);
    expect(tenants.reads).toBe(1);
  });

  it('should read a tenant in use again before its entry expires, answering from memory', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const { service, tenants } = directory();
    await service.findAccess('ten_1');
    tenants.records.set('ten_1', tenant('suspended'));

    clock.mockReturnValue(now + 4000);
    expect(service.peekAccess('ten_1')).toMatchObject({ status: 'active' });
    await new Promise(setImmediate);
    await new Promise(setImmediate);

    clock.mockReturnValue(now + 6000);
    expect(service.peekAccess('ten_1')).toMatchObject({ status: 'suspended' });
    expect(tenants.reads).toBe(2);
  });

  it('should never use an entry past its bound, even when no refresh finished', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const { service } = directory();
    await service.findAccess('ten_1');

    clock.mockReturnValue(now + 5000);

    expect(service.peekAccess('ten_1')).toBeUndefined();
  });

  it('should not cache a read that an eviction overtook', async () => {
    const { service, tenants } = directory();
    const pending = service.findAccess('ten_1');
    service.evict('ten_1');
    await pending;

    expect(service.peekAccess('ten_1')).toBeUndefined();
    expect(tenants.reads).toBe(1);
  });
});
