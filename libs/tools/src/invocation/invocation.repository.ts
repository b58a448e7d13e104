import { Inject, Injectable } from '@nestjs/common';
import { AttributeValue, DynamoDB } from '@aws-sdk/client-dynamodb';
import * as dynamoose from 'dynamoose';
import { Item } from 'dynamoose/dist/Item';
import { ModelType } from 'dynamoose/dist/General';
import { DynamoConnection, TABLE_DEFINITIONS } from '@app/dynamo';
import { InvocationRecord } from './invocation.record';

type InvocationItem = Item & InvocationRecord;

/**
 * Invocation records in DynamoDB, written in batches and read back per tenant by time.
 *
 * Writes go through the raw SDK client with a hand-written marshaller: a record is a flat set of
 * strings and numbers, and dynamoose's per-item schema walk cost more main-thread CPU than the
 * solve being recorded. Reads are rare (tests, support) and keep dynamoose.
 */
@Injectable()
export class InvocationRepository {
  private readonly model: ModelType<InvocationItem>;
  private readonly client: DynamoDB;
  private readonly tableName: string;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.client = connection.client;
    this.tableName = connection.tableName(TABLE_DEFINITIONS.invocations);
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

  /**
   * Puts up to 25 records in one BatchWriteItem and answers the ones DynamoDB left unprocessed,
   * for the caller to retry. Ids are ULIDs with 80 random bits, so a plain put (a batch cannot
   * carry a condition) never overwrites another invocation's record.
   */
  async putBatch(records: readonly InvocationRecord[]): Promise<InvocationRecord[]> {
    const output = await this.client.batchWriteItem({
      RequestItems: {
        [this.tableName]: records.map((record) => ({ PutRequest: { Item: toItem(record) } })),
      },
    });
    const unprocessed = output.UnprocessedItems?.[this.tableName] ?? [];
    if (unprocessed.length === 0) {
      return [];
    }

    const ids = new Set(unprocessed.map((request) => request.PutRequest?.Item?.id?.S));

    return records.filter((record) => ids.has(record.id));
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

/** The same attributes and types the dynamoose schema above reads back. */
function toItem(record: InvocationRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    tenantId: { S: record.tenantId },
    id: { S: record.id },
    keyId: { S: record.keyId },
    tool: { S: record.tool },
    toolVersion: { S: record.toolVersion },
    channel: { S: record.channel },
    status: { S: record.status },
    durationMs: { N: String(record.durationMs) },
    cost: { N: String(record.cost) },
    createdAt: { N: String(record.createdAt) },
  };
  if (record.errorCode !== undefined) {
    item.errorCode = { S: record.errorCode };
  }
  if (record.outcome !== undefined) {
    item.outcome = { S: record.outcome };
  }

  return item;
}
