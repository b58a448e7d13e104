import { Inject, Injectable } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { ModelType } from 'dynamoose/dist/General';
import { Item } from 'dynamoose/dist/Item';
import { randomBytes } from 'node:crypto';
import { DynamoConnection, TABLE_DEFINITIONS } from '@app/dynamo';

/** One admin action as kept for the record; never a secret, only ids and the stated reason. */
export interface AdminAuditEvent {
  id: string;
  at: number;
  adminKeyId: string;
  action: string;
  target: string;
  reason?: string;
  outcome: 'success' | 'failure';
  status: number;
  requestId: string;
}

type AdminAuditItem = Item & AdminAuditEvent;

@Injectable()
export class AdminAuditRepository {
  private readonly model: ModelType<AdminAuditItem>;

  constructor(@Inject(DynamoConnection) connection: DynamoConnection) {
    this.model = connection.model<AdminAuditItem>(
      TABLE_DEFINITIONS.adminAudit,
      new dynamoose.Schema({
        id: { type: String, hashKey: true },
        at: Number,
        adminKeyId: String,
        action: String,
        target: String,
        reason: String,
        outcome: String,
        status: Number,
        requestId: String,
      }),
    );
  }

  async record(event: Omit<AdminAuditEvent, 'id'>): Promise<AdminAuditEvent> {
    // Time first, so ids sort by time when the table is exported.
    const id = `aud_${event.at.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
    const stored = { ...event, id };
    await this.model.create(stored, { overwrite: false });

    return stored;
  }

  /** Every event, for operators and tests; the table is small and append-only. */
  async all(): Promise<AdminAuditEvent[]> {
    const items = await this.model.scan().all().exec();

    return items.map((item) => item.toJSON() as AdminAuditEvent);
  }
}
