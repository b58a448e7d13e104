import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { Item } from 'dynamoose/dist/Item';
import { ModelType } from 'dynamoose/dist/General';
import { DynamoConnection, TABLE_DEFINITIONS } from '@app/dynamo';
import { InvocationRecord } from './invocation.record';

type InvocationItem = Item & InvocationRecord;

/** Invocation records in DynamoDB: one single-item put each, read back per tenant by time. */
@Injectable()
export class InvocationRepository {
  private readonly model: ModelType<InvocationItem>;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.model = connection.model<InvocationItem>(
      TABLE_DEFINITIONS.invocations,
      new dynamoose.Schema({
        tenantId: { type: String, hashKey: true },
        id: { type: String, rangeKey: true },
        keyId: String,
        tool: String,
        toolVersion: String,
        channel: String,
        status: String,
        errorCode: String,
        outcome: String,
        durationMs: Number,
        cost: Number,
        createdAt: Number,
      }),
    );
  }

  async put(record: InvocationRecord): Promise<void> {
    await this.model.create(record, { overwrite: false });
  }

  /** Most recent first. */
  async listByTenant(tenantId: string, limit: number): Promise<InvocationRecord[]> {
    const items = await this.model
      .query('tenantId')
      .eq(tenantId)
      .sort('descending')
      .limit(limit)
      .exec();

    return items.map((item) => {
      const record = item.toJSON() as InvocationRecord;

      return { ...record };
    });
  }
}
