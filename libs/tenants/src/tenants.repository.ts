import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { Condition } from 'dynamoose/dist/Condition';
import { ModelType } from 'dynamoose/dist/General';
import { applied, CursorKey, queryPage } from '@app/auth';
import { DynamoConnection, isConditionalCheckFailed, TABLE_DEFINITIONS } from '@app/dynamo';
import { TenantItem, TenantRecord, TenantSettings } from './tenant.record';

export const LISTED = 'tenant';

/** Tenants in DynamoDB. Every change is one conditional write on the tenant item. */
@Injectable()
export class TenantsRepository {
  private readonly model: ModelType<TenantItem>;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.model = connection.model<TenantItem>(
      TABLE_DEFINITIONS.tenants,
      new dynamoose.Schema(
        {
          id: { type: String, hashKey: true },
          name: String,
          status: String,
          plan: String,
          settings: {
            type: Object,
            schema: {
              defaultRateLimitPerMinute: Number,
              maxKeys: Number,
              allowedCorsOrigins: { type: Array, schema: [String] },
              maxConcurrentJobs: Number,
            },
          },
          keyCount: Number,
          listing: {
            type: String,
            index: { name: 'byListing', type: 'global', rangeKey: 'createdAt' },
          },
          createdAt: Number,
          updatedAt: Number,
          deletedAt: Number,
          deleteReason: String,
        },
        { saveUnknown: false },
      ),
    );
  }

  async create(record: TenantRecord): Promise<void> {
    await this.model.create(record, { overwrite: false });
  }

  async get(id: string): Promise<TenantRecord | undefined> {
    const item = await this.model.get({ id }, { consistent: true });

    return item ? toRecord(item) : undefined;
  }

  /** Newest first; the sparse index leaves deleted tenants out. */
  list(
    limit: number,
    startKey: CursorKey | undefined,
  ): Promise<{ items: TenantRecord[]; lastKey?: CursorKey }> {
    const query = this.model.query('listing').eq(LISTED).using('byListing').sort('descending');

    return queryPage(query, limit, startKey, toRecord);
  }

  /**
   * Applies a change to a tenant that is not deleted and was last written at `readAt` (its
   * `updatedAt` when the caller read it), so a change computed from a stale read never lands:
   * 'changed' tells the caller to read again, undefined that there is no such tenant.
   */
  async update(
    id: string,
    changes: Partial<Pick<TenantRecord, 'name' | 'status' | 'plan'>> & {
      settings?: TenantSettings;
    },
    readAt: number,
    now: number,
  ): Promise<TenantRecord | 'changed' | undefined> {
    try {
      const item = await this.model.update(
        { id },
        // Always later than the state read, even within its millisecond or on a slower clock, so
        // a writer that read it before this change can never match it afterwards.
        { $SET: { ...changes, updatedAt: Math.max(now, readAt + 1) } },
        { condition: live().and().where('updatedAt').eq(readAt), return: 'item' },
      );

      return toRecord(item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) {
        throw error;
      }

      const current = await this.get(id);

      return current === undefined || current.status === 'deleted' ? undefined : 'changed';
    }
  }

  /** Marks the tenant deleted and unlists it; false when it was already gone. */
  markDeleted(id: string, reason: string, now: number): Promise<boolean> {
    return applied(
      this.model.update(
        { id },
        {
          $SET: { status: 'deleted', deletedAt: now, updatedAt: now, deleteReason: reason },
          $REMOVE: ['listing'],
        },
        { condition: live() },
      ),
    );
  }

  /** Adds one key if the tenant lives and is under its limit; false otherwise. */
  async incrementKeyCount(id: string): Promise<boolean> {
    const tenant = await this.get(id);
    if (tenant === undefined || tenant.status === 'deleted') {
      return false;
    }

    // The bound is re-checked by the write itself, so concurrent creations cannot overshoot.
    return applied(
      this.model.update(
        { id },
        { $ADD: { keyCount: 1 } },
        { condition: live().and().where('keyCount').lt(tenant.settings.maxKeys) },
      ),
    );
  }

  async decrementKeyCount(id: string): Promise<void> {
    await applied(
      this.model.update(
        { id },
        { $ADD: { keyCount: -1 } },
        { condition: new dynamoose.Condition('keyCount').gt(0) },
      ),
    );
  }
}

function live(): Condition {
  return new dynamoose.Condition('id').exists().and().where('status').not().eq('deleted');
}

function toRecord(item: TenantItem): TenantRecord {
  const plain = item.toJSON() as TenantRecord;

  return {
    ...plain,
    settings: { ...plain.settings, allowedCorsOrigins: plain.settings?.allowedCorsOrigins ?? [] },
  };
}
