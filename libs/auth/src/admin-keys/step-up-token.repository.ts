import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { ModelType } from 'dynamoose/dist/General';
import { Item } from 'dynamoose/dist/Item';
import { DynamoConnection, TABLE_DEFINITIONS } from '@app/dynamo';

/** A step-up token as stored: its HMAC, the admin key it is bound to, and its expiry. */
export interface StepUpTokenRecord {
  id: string;
  tokenHash: string;
  adminKeyId: string;
  createdAt: number;
  expiresAt: number;
  /** Epoch seconds, for DynamoDB TTL; expiry itself is always checked in code. */
  ttl: number;
}

type StepUpTokenItem = Item & StepUpTokenRecord;

@Injectable()
export class StepUpTokenRepository {
  private readonly model: ModelType<StepUpTokenItem>;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.model = connection.model<StepUpTokenItem>(
      TABLE_DEFINITIONS.stepUpTokens,
      new dynamoose.Schema({
        id: { type: String, hashKey: true },
        tokenHash: String,
        adminKeyId: String,
        createdAt: Number,
        expiresAt: Number,
        ttl: Number,
      }),
    );
  }

  async create(record: StepUpTokenRecord): Promise<void> {
    await this.model.create(record, { overwrite: false });
  }

  async get(id: string): Promise<StepUpTokenRecord | undefined> {
    const item = await this.model.get({ id }, { consistent: true });

    return item ? (item.toJSON() as StepUpTokenRecord) : undefined;
  }

  /** Revoking is deleting: a token that is not there cannot be used. */
  async delete(id: string): Promise<void> {
    await this.model.delete({ id });
  }

  /**
   * Deletes every token of an admin key; answers how many. A scan, not an index: tokens expire
   * within the hour (and DynamoDB TTL removes them), and admin keys are revoked rarely.
   */
  async deleteForAdminKey(adminKeyId: string): Promise<number> {
    const items = await this.model
      .scan('adminKeyId')
      .eq(adminKeyId)
      .consistent()
      .attributes(['id'])
      .all()
      .exec();
    await Promise.all(items.map((item) => this.model.delete({ id: item.id })));

    return items.length;
  }
}
