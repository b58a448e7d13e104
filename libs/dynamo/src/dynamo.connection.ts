import {
  CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDB,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { Logger } from '@nestjs/common';
import * as dynamoose from 'dynamoose';
import { Item } from 'dynamoose/dist/Item';
import { ModelType } from 'dynamoose/dist/General';
import { Schema } from 'dynamoose/dist/Schema';
import { classifyDatabaseFault, DatabaseFault, isConfigurationFault } from './database-errors.util';
import { EmbeddedDynamo } from './embedded-dynamo.server';
import { TableDefinition } from './table-definition.types';

export interface DynamoConnectionOptions {
  endpoint?: string;
  region: string;
  tablePrefix: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  /** Where the embedded database keeps its files; used only without an endpoint. */
  dataDir?: string;
  createTables: boolean;
  tables: readonly TableDefinition[];
}

export type TableStatus = 'up' | 'down';

/** What an operator reads, once, when a configuration fault makes every database call fail. */
const CONFIGURATION_HINTS: Partial<Record<DatabaseFault, string>> = {
  credentials:
    'DynamoDB calls fail for want of usable AWS credentials; requests answer 503 until they ' +
    'are fixed. Provide them through the default chain (environment, profile or role), or use ' +
    'a loopback DYNAMODB_ENDPOINT for a local database, which needs none',
  endpoint:
    'DynamoDB calls fail: DYNAMODB_ENDPOINT does not answer as DynamoDB (wrong scheme, port, ' +
    'service or TLS certificate); requests answer 503 until it is fixed',
  missing_table:
    'DynamoDB calls fail on a missing table; requests answer 503 until it exists. Create the ' +
    'tables (DYNAMODB_CREATE_TABLES=true) or check TABLE_PREFIX and DYNAMODB_REGION',
};

/**
 * The service's one DynamoDB connection: the SDK client with bounded timeouts and retries, a
 * dynamoose instance bound to it, and, without an endpoint, the embedded database it started.
 */
export class DynamoConnection {
  private readonly logger = new Logger(DynamoConnection.name);
  private readonly instance = new dynamoose.Instance();
  private readonly reportedFaults = new Set<DatabaseFault>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly client: DynamoDB,
    readonly endpoint: string,
    private readonly options: DynamoConnectionOptions,
    private readonly embedded?: EmbeddedDynamo,
  ) {
    this.instance.aws.ddb.set(client);
    // Every call goes through the client (dynamoose included), so this sees each failure once,
    // after the SDK's retries, whichever code made the call and whatever it does with the error.
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          this.reportConfigurationFault(error);
          throw error;
        }
      },
      { step: 'initialize', name: 'reportConfigurationFaults' },
    );
  }

  static async open(options: DynamoConnectionOptions): Promise<DynamoConnection> {
    const embedded =
      options.endpoint === undefined ? await EmbeddedDynamo.start(options.dataDir) : undefined;
    const endpoint = options.endpoint ?? (embedded as EmbeddedDynamo).endpoint;
    const local = embedded !== undefined || isLoopback(endpoint);

    const client = new DynamoDB({
      endpoint,
      region: options.region,
      maxAttempts: options.maxAttempts,
      requestHandler: {
        connectionTimeout: options.connectTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
      },
      // Local databases accept any credentials; real ones come from the default chain.
      ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    const connection = new DynamoConnection(client, endpoint, options, embedded);

    if (embedded !== undefined || options.createTables) {
      await connection.ensureTables();
    }

    return connection;
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  tableName(table: TableDefinition): string {
    return `${this.options.tablePrefix}${table.name}`;
  }

  /** A dynamoose model bound to this connection; tables are never created or altered by it. */
  model<T extends Item>(table: TableDefinition, schema: Schema): ModelType<T> {
    const name = this.tableName(table);
    const model = dynamoose.model<T>(name, schema);
    new this.instance.Table(name, [model], { create: false, waitForActive: false, update: false });

    return model;
  }

  /** Creates every missing table; safe to run from several instances at once. */
  async ensureTables(): Promise<void> {
    await Promise.all(this.options.tables.map((table) => this.ensureTable(table)));
  }

  /** Describes every table within the deadline; a table that does not answer is down. */
  async checkTables(timeoutMs: number): Promise<Record<string, TableStatus>> {
    const entries = await Promise.all(
      this.options.tables.map(async (table): Promise<[string, TableStatus]> => {
        try {
          // A signal per table: the SDK adds a listener per attempt, and one shared signal
          // would collect more than Node's warning threshold while the database is down.
          const result = await this.client.send(
            new DescribeTableCommand({ TableName: this.tableName(table) }),
            { abortSignal: AbortSignal.timeout(timeoutMs) },
          );

          return [table.name, result.Table?.TableStatus === 'ACTIVE' ? 'up' : 'down'];
        } catch {
          return [table.name, 'down'];
        }
      }),
    );

    return Object.fromEntries(entries);
  }

  /** Idempotent: the application closes the connection once every shutdown hook has run. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.client.destroy();
      await this.embedded?.stop();
    })();

    return this.closing;
  }

  /**
   * A fault no retry fixes is logged once per kind, as an error that says what to change; each
   * request it fails is still answered 503 and logged by the error filter.
   */
  private reportConfigurationFault(error: unknown): void {
    const fault = classifyDatabaseFault(error);
    if (fault === undefined || !isConfigurationFault(fault) || this.reportedFaults.has(fault)) {
      return;
    }

    this.reportedFaults.add(fault);
    this.logger.error(
      { fault, endpoint: this.endpoint, tablePrefix: this.options.tablePrefix, err: error },
      CONFIGURATION_HINTS[fault],
    );
  }

  private async ensureTable(table: TableDefinition): Promise<void> {
    const name = this.tableName(table);
    try {
      await this.client.createTable(toCreateTableInput(name, table));
      this.logger.log({ table: name }, 'Created missing DynamoDB table');
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) {
        throw error;
      }
    }

    await this.waitUntilActive(name);
    if (table.ttlAttribute !== undefined) {
      await this.enableTimeToLive(name, table.ttlAttribute);
    }
  }

  private async waitUntilActive(name: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { Table } = await this.client.describeTable({ TableName: name });
      if (Table?.TableStatus === 'ACTIVE') {
        return;
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }

    throw new Error(`DynamoDB table ${name} did not become active`);
  }

  private async enableTimeToLive(name: string, attribute: string): Promise<void> {
    try {
      const current = await this.client.describeTimeToLive({ TableName: name });
      if (current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') {
        return;
      }
      await this.client.updateTimeToLive({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      });
    } catch (error) {
      // dynalite has no TTL; expiry is always checked in code, TTL only reclaims space.
      this.logger.debug({ table: name, err: error }, 'TTL not enabled on this database');
    }
  }
}

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;

  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

function toCreateTableInput(name: string, table: TableDefinition): CreateTableCommandInput {
  const attributes = new Map<string, string>();
  const keySchema = (hash: { name: string }, range?: { name: string }) => [
    { AttributeName: hash.name, KeyType: 'HASH' as const },
    ...(range ? [{ AttributeName: range.name, KeyType: 'RANGE' as const }] : []),
  ];
  for (const key of [table.hashKey, table.rangeKey]) {
    if (key) {
      attributes.set(key.name, key.type);
    }
  }
  for (const index of table.globalIndexes ?? []) {
    for (const key of [index.hashKey, index.rangeKey]) {
      if (key) {
        attributes.set(key.name, key.type);
      }
    }
  }

  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as 'S' | 'N',
    })),
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    GlobalSecondaryIndexes: table.globalIndexes?.length
      ? table.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.hashKey, index.rangeKey),
          Projection: { ProjectionType: 'ALL' },
        }))
      : undefined,
  };
}
