import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { ModelType } from 'dynamoose/dist/General';
import { DynamoConnection, isConditionalCheckFailed, TABLE_DEFINITIONS } from '@app/dynamo';
import {
  ADMIN_BOOTSTRAP_ID,
  ADMIN_META_ID,
  AdminKeyItem,
  AdminKeyRecord,
} from './admin-key.record';

/**
 * Admin keys in DynamoDB. Without transactions, "never revoke the last active key" rests on a
 * counter in a meta item that never exceeds the true number of active keys: it is raised only
 * after a key is stored and lowered (conditionally, above one) before a key is revoked.
 */
@Injectable()
export class AdminKeyRepository {
  private readonly model: ModelType<AdminKeyItem>;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.model = connection.model<AdminKeyItem>(
      TABLE_DEFINITIONS.adminKeys,
      new dynamoose.Schema({
        id: { type: String, hashKey: true },
        kind: String,
        keyHash: String,
        name: String,
        displayPrefix: String,
        status: String,
        totpSecretSealed: String,
        lastOtpStep: Number,
        allowedCidrs: { type: Array, schema: [String] },
        createdAt: Number,
        updatedAt: Number,
        createdBy: String,
        revokedAt: Number,
        revokeReason: String,
        activeCount: Number,
      }),
    );
  }

  async create(record: AdminKeyRecord): Promise<void> {
    await this.model.create({ ...record, kind: 'key' }, { overwrite: false });
    await this.model.update(
      { id: ADMIN_META_ID },
      { $SET: { kind: 'meta' }, $ADD: { activeCount: 1 } },
    );
  }

  async get(id: string): Promise<AdminKeyRecord | undefined> {
    const item = await this.model.get({ id }, { consistent: true });

    return item && item.kind === 'key' ? toRecord(item) : undefined;
  }

  async list(): Promise<AdminKeyRecord[]> {
    const items = await this.model.scan('kind').eq('key').all().exec();

    return items.map(toRecord).sort((a, b) => b.createdAt - a.createdAt);
  }

  async activeCount(): Promise<number> {
    const meta = await this.model.get({ id: ADMIN_META_ID }, { consistent: true });

    return meta?.activeCount ?? 0;
  }

  /**
   * Revokes an active key unless it is the last one. 'last' when refused for that reason,
   * 'missing' when there is no such active key.
   */
  async revoke(id: string, reason: string, now: number): Promise<'revoked' | 'last' | 'missing'> {
    const current = await this.get(id);
    if (current === undefined || current.status !== 'active') {
      return 'missing';
    }

    try {
      await this.model.update(
        { id: ADMIN_META_ID },
        { $ADD: { activeCount: -1 } },
        { condition: new dynamoose.Condition('activeCount').gt(1) },
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        return 'last';
      }
      throw error;
    }

    try {
      await this.model.update(
        { id },
        { $SET: { status: 'revoked', revokedAt: now, updatedAt: now, revokeReason: reason } },
        { condition: new dynamoose.Condition('status').eq('active') },
      );

      return 'revoked';
    } catch (error) {
      // Someone revoked it first: give the slot back so the count stays true.
      await this.model.update({ id: ADMIN_META_ID }, { $ADD: { activeCount: 1 } });
      if (isConditionalCheckFailed(error)) {
        return 'missing';
      }
      throw error;
    }
  }

  /** Accepts a TOTP time step only if it is later than the last accepted one (no replay). */
  async acceptOtpStep(id: string, step: number): Promise<boolean> {
    try {
      await this.model.update(
        { id },
        { $SET: { lastOtpStep: step } },
        {
          condition: new dynamoose.Condition('status')
            .eq('active')
            .and()
            .where('lastOtpStep')
            .lt(step),
        },
      );

      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        return false;
      }
      throw error;
    }
  }

  /** True for exactly one caller, ever: concurrent first starts bootstrap only once. */
  async claimBootstrap(now: number): Promise<boolean> {
    try {
      await this.model.create(
        { id: ADMIN_BOOTSTRAP_ID, kind: 'bootstrap', createdAt: now },
        { overwrite: false },
      );

      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        return false;
      }
      throw error;
    }
  }
}

function toRecord(item: AdminKeyItem): AdminKeyRecord {
  const record = { ...(item.toJSON() as AdminKeyItem) } as Partial<AdminKeyItem>;
  delete record.kind;
  delete record.activeCount;

  return record as AdminKeyRecord;
}
