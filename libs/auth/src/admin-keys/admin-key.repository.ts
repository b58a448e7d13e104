import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { ModelType } from 'dynamoose/dist/General';
import { DynamoConnection, TABLE_DEFINITIONS } from '@app/dynamo';
import { applied } from '../storage/conditional-write.helper';
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
        otpAttemptWindow: Number,
        otpAttempts: Number,
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

  /** Every admin key, newest first (ties by id), the order the paginated listing relies on. */
  async list(): Promise<AdminKeyRecord[]> {
    const items = await this.model.scan('kind').eq('key').all().exec();

    return items
      .map(toRecord)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async activeCount(): Promise<number> {
    const meta = await this.model.get({ id: ADMIN_META_ID }, { consistent: true });

    return meta?.activeCount ?? 0;
  }

  /**
   * Revokes an active key unless it is the last one. 'last' when refused for that reason,
   * 'already' when the key is revoked (by an earlier call or a concurrent one), 'missing' when
   * there is no such key.
   */
  async revoke(
    id: string,
    reason: string,
    now: number,
  ): Promise<'revoked' | 'already' | 'last' | 'missing'> {
    const current = await this.get(id);
    if (current === undefined) {
      return 'missing';
    }
    if (current.status !== 'active') {
      return 'already';
    }

    const counted = await applied(
      this.model.update(
        { id: ADMIN_META_ID },
        { $ADD: { activeCount: -1 } },
        { condition: new dynamoose.Condition('activeCount').gt(1) },
      ),
    );
    if (!counted) {
      return 'last';
    }

    const revoked = await applied(
      this.model.update(
        { id },
        { $SET: { status: 'revoked', revokedAt: now, updatedAt: now, revokeReason: reason } },
        { condition: new dynamoose.Condition('status').eq('active') },
      ),
    ).catch(async (error: unknown) => {
      await this.restoreActiveCount();
      throw error;
    });
    if (!revoked) {
      // Someone revoked it first: give the slot back so the count stays true.
      await this.restoreActiveCount();

      return 'already';
    }

    return 'revoked';
  }

  /** Accepts a TOTP time step only if it is later than the last accepted one (no replay). */
  acceptOtpStep(id: string, step: number): Promise<boolean> {
    return applied(
      this.model.update(
        { id },
        { $SET: { lastOtpStep: step } },
        {
          condition: new dynamoose.Condition('status')
            .eq('active')
            .and()
            .where('lastOtpStep')
            .lt(step),
        },
      ),
    );
  }

  /**
   * Takes one of the key's step-up attempts in the given window; false when they are used up.
   * Counted before the code is checked, with conditional writes, so parallel guesses on any
   * number of instances get at most `max` tries per window between them.
   */
  async consumeOtpAttempt(id: string, window: number, max: number): Promise<boolean> {
    const isKey = () => new dynamoose.Condition('kind').eq('key');
    const opened = await applied(
      this.model.update(
        { id },
        { $SET: { otpAttemptWindow: window, otpAttempts: 1 } },
        {
          condition: isKey()
            .and()
            .parenthesis((group) =>
              group
                .where('otpAttemptWindow')
                .not()
                .exists()
                .or()
                .where('otpAttemptWindow')
                .lt(window),
            ),
        },
      ),
    );
    if (opened) {
      return true;
    }

    return applied(
      this.model.update(
        { id },
        { $ADD: { otpAttempts: 1 } },
        {
          condition: isKey()
            .and()
            .where('otpAttemptWindow')
            .eq(window)
            .and()
            .where('otpAttempts')
            .lt(max),
        },
      ),
    );
  }

  /** True for exactly one caller, ever: concurrent first starts bootstrap only once. */
  claimBootstrap(now: number): Promise<boolean> {
    return applied(
      this.model.create(
        { id: ADMIN_BOOTSTRAP_ID, kind: 'bootstrap', createdAt: now },
        { overwrite: false },
      ),
    );
  }

  private async restoreActiveCount(): Promise<void> {
    await this.model.update({ id: ADMIN_META_ID }, { $ADD: { activeCount: 1 } });
  }
}

function toRecord(item: AdminKeyItem): AdminKeyRecord {
  const record = { ...(item.toJSON() as AdminKeyItem) } as Partial<AdminKeyItem>;
  delete record.kind;
  delete record.activeCount;
  delete record.otpAttemptWindow;
  delete record.otpAttempts;

  return record as AdminKeyRecord;
}
