import {
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { DynamoConnection } from './dynamo.connection';
import { ALL_TABLES } from './table-definitions.constants';

const CLOSED_BY_APPLICATION = Symbol('DYNAMO_CLOSED_BY_APPLICATION');

@Global()
@Module({
  providers: [
    {
      provide: DynamoConnection,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) =>
        DynamoConnection.open({
          endpoint: config.get('dynamodbEndpoint'),
          region: config.get('dynamodbRegion'),
          tablePrefix: config.get('tablePrefix'),
          connectTimeoutMs: config.get('dynamodbConnectTimeoutMs'),
          requestTimeoutMs: config.get('dynamodbRequestTimeoutMs'),
          maxAttempts: config.get('dynamodbMaxAttempts'),
          dataDir: config.get('dataDir'),
          createTables: config.get('dynamodbCreateTables'),
          tables: ALL_TABLES,
        }),
    },
  ],
  exports: [DynamoConnection],
})
export class DynamoModule implements OnApplicationShutdown {
  constructor(
    @Inject(DynamoConnection) private readonly connection: DynamoConnection,
    @Optional()
    @Inject(CLOSED_BY_APPLICATION)
    private readonly closedByApplication: boolean = false,
  ) {}

  /**
   * For an application whose own providers still write while it stops (the HTTP app flushes
   * invocation records): it closes the connection itself once `app.close()` has run every
   * shutdown hook. Nest runs those hooks module by module in an order it derives from the import
   * graph (global modules last, among themselves by registration), not from who needs whom, so
   * a module's own hook cannot promise to close the database last.
   */
  static closedByApplication(): DynamicModule {
    return {
      module: DynamoModule,
      providers: [{ provide: CLOSED_BY_APPLICATION, useValue: true }],
    };
  }

  /**
   * Imported as is, the module closes the connection in its own hook, after the HTTP server (if
   * any) has drained: enough where nothing writes during shutdown, as in the admin CLI.
   */
  async onApplicationShutdown(): Promise<void> {
    if (!this.closedByApplication) {
      await this.connection.close();
    }
  }
}
