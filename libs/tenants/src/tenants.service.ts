import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppException } from '@app/common';
import { Page, PageCursor, stripUndefined } from '@app/auth';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { DEFAULT_TENANT_SETTINGS, TenantRecord } from './tenant.record';
import { LISTED, TenantsRepository } from './tenants.repository';
import { TenantDirectoryService } from './tenant-directory.service';

const CURSOR_SHAPE = { id: 'string', listing: 'string', createdAt: 'number' } as const;
/** Reads and conditional writes an update may take when other changes keep landing first. */
const UPDATE_ATTEMPTS = 5;

/**
 * Tenant lifecycle for operators. Deleted tenants answer 404 everywhere. Methods that log take the
 * request's id from the caller: a per-request async context costs too much throughput.
 */
@Injectable()
export class TenantsService {
  private readonly logger = new Logger(TenantsService.name);

  constructor(
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
    @Inject(TenantDirectoryService) private readonly directory: TenantDirectoryService,
  ) {}

  async create(input: CreateTenantDto, requestId: string): Promise<TenantRecord> {
    const now = Date.now();
    const record: TenantRecord = {
      id: `ten_${randomBytes(12).toString('hex')}`,
      name: input.name,
      status: 'active',
      plan: input.plan ?? 'starter',
      settings: { ...DEFAULT_TENANT_SETTINGS, ...stripUndefined(input.settings) },
      keyCount: 0,
      listing: LISTED,
      createdAt: now,
      updatedAt: now,
    };
    await this.tenants.create(record);
    this.logger.log({ requestId, tenantId: record.id, plan: record.plan }, 'Tenant created');

    return record;
  }

  async list(limit = 25, cursor?: string): Promise<Page<TenantRecord>> {
    const startKey = PageCursor.decode(cursor, CURSOR_SHAPE, { listing: LISTED });
    const { items, lastKey } = await this.tenants.list(limit, startKey);

    return { items, nextCursor: PageCursor.encode(lastKey) };
  }

  async get(tenantId: string): Promise<TenantRecord> {
    const tenant = await this.tenants.get(tenantId);
    if (tenant === undefined || tenant.status === 'deleted') {
      throw new AppException('not_found', 'Tenant not found');
    }

    return tenant;
  }

  async update(tenantId: string, input: UpdateTenantDto, requestId: string): Promise<TenantRecord> {
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
      const current = await this.get(tenantId);
      const updated = await this.tenants.update(
        tenantId,
        {
          ...stripUndefined({ name: input.name, plan: input.plan, status: input.status }),
          ...(input.settings
            ? { settings: { ...current.settings, ...stripUndefined(input.settings) } }
            : {}),
        },
        current.updatedAt,
        Date.now(),
      );
      if (updated === undefined) {
        throw new AppException('not_found', 'Tenant not found');
      }
      if (updated === 'changed') {
        // Another change landed between the read and the write: merge into the new state.
        continue;
      }

      // A suspension must refuse the tenant's keys at once on this instance.
      this.directory.evict(tenantId);
      this.logger.log({ requestId, tenantId, status: updated.status }, 'Tenant updated');

      return updated;
    }

    this.logger.warn(
      { requestId, tenantId },
      'Tenant kept changing under an update; the caller must retry',
    );
    throw new AppException(
      'conflict',
      'The tenant was changed by other requests while this one applied; retry it.',
    );
  }

  async delete(tenantId: string, reason: string, requestId: string): Promise<void> {
    const deleted = await this.tenants.markDeleted(tenantId, reason, Date.now());
    this.directory.evict(tenantId);
    if (!deleted) {
      throw new AppException('not_found', 'Tenant not found');
    }
    this.logger.log({ requestId, tenantId }, 'Tenant deleted');
  }
}
