import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { Condition } from 'dynamoose/dist/Condition';
import { ModelType } from 'dynamoose/dist/General';
import { DynamoConnection, isConditionalCheckFailed, TABLE_DEFINITIONS } from '@app/dynamo';
import { CursorKey } from '../pagination/page-cursor.codec';
import { applied } from '../storage/conditional-write.helper';
import { queryPage } from '../storage/query-page.helper';
import { ApiKeyItem, ApiKeyRecord } from './api-key.record';

/** API keys in DynamoDB, read by primary key on the hot path and by tenant for listings. */
@Injectable()
export class ApiKeyRepository {
  private readonly model: ModelType<ApiKeyItem>;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.model = connection.model<ApiKeyItem>(
      TABLE_DEFINITIONS.apiKeys,
      new dynamoose.Schema({
        id: { type: String, hashKey: true },
        tenantId: {
          type: String,
          index: { name: 'byTenant', type: 'global', rangeKey: 'createdAt' },
        },
        keyHash: String,
        name: String,
        displayPrefix: String,
        scopes: { type: Array, schema: [String] },
        status: String,
        createdAt: Number,
        updatedAt: Number,
        expiresAt: Number,
        allowedCidrs: { type: Array, schema: [String] },
        rateLimitPerMinute: Number,
        metadataJson: String,
        lastUsedAt: Number,
        revokedAt: Number,
        rotatedToKeyId: String,
        rotatedFromKeyId: String,
        createdBy: String,
      }),
    );
  }

  async create(record: ApiKeyRecord): Promise<void> {
    await this.model.create(toItem(record), { overwrite: false });
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const item = await this.model.get({ id }, { consistent: true });

    return item ? toRecord(item) : undefined;
  }

  listByTenant(
    tenantId: string,
    limit: number,
    startKey: CursorKey | undefined,
  ): Promise<{ items: ApiKeyRecord[]; lastKey?: CursorKey }> {
    const query = this.model.query('tenantId').eq(tenantId).using('byTenant').sort('descending');

    return queryPage(query, limit, startKey, toRecord);
  }

  /** Revokes an active key of the tenant; the previous record, or undefined if none changed. */
  async revoke(tenantId: string, id: string, now: number): Promise<ApiKeyRecord | undefined> {
    try {
      const item = await this.model.update(
        { id },
        { $SET: { status: 'revoked', revokedAt: now, updatedAt: now } },
        { condition: ownedBy(tenantId).and().where('status').eq('active'), return: 'item' },
      );

      return toRecord(item);
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Links an active, not yet rotated key to its replacement and shortens its life to the grace
   * period (or revokes it now); false when another request changed the key first.
   */
  markRotated(
    tenantId: string,
    id: string,
    successorId: string,
    graceEndsAt: number | undefined,
    now: number,
  ): Promise<boolean> {
    const changes =
      graceEndsAt === undefined
        ? {
            rotatedToKeyId: successorId,
            status: 'revoked' as const,
            revokedAt: now,
            updatedAt: now,
          }
        : { rotatedToKeyId: successorId, expiresAt: graceEndsAt, updatedAt: now };

    return applied(
      this.model.update(
        { id },
        { $SET: changes },
        {
          condition: ownedBy(tenantId)
            .and()
            .where('status')
            .eq('active')
            .and()
            .where('rotatedToKeyId')
            .not()
            .exists(),
        },
      ),
    );
  }

  async delete(id: string): Promise<void> {
    await this.model.delete({ id });
  }

  /** Records use at most once a minute per key, across instances, by a conditional write. */
  async touch(id: string, now: number, minIntervalMs: number): Promise<void> {
    await applied(
      this.model.update(
        { id },
        { $SET: { lastUsedAt: now } },
        {
          condition: new dynamoose.Condition('id')
            .exists()
            .and()
            .parenthesis((group) =>
              group
                .where('lastUsedAt')
                .not()
                .exists()
                .or()
                .where('lastUsedAt')
                .lt(now - minIntervalMs),
            ),
        },
      ),
    );
  }
}

function ownedBy(tenantId: string): Condition {
  return new dynamoose.Condition('tenantId').eq(tenantId);
}

function toItem(record: ApiKeyRecord): Record<string, unknown> {
  const { metadata, ...rest } = record;

  return {
    ...rest,
    ...(metadata && Object.keys(metadata).length > 0
      ? { metadataJson: JSON.stringify(metadata) }
      : {}),
  };
}

function toRecord(item: ApiKeyItem): ApiKeyRecord {
  const { metadataJson, ...rest } = item.toJSON() as ApiKeyItem;

  return {
    ...(rest as Omit<ApiKeyRecord, 'metadata'>),
    scopes: rest.scopes ?? [],
    metadata: metadataJson ? (JSON.parse(metadataJson) as Record<string, string>) : undefined,
  };
}
