import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { DynamoConnection } from './dynamo.connection';
import { ALL_TABLES } from './table-definitions.constants';

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
  constructor(@Inject(DynamoConnection) private readonly connection: DynamoConnection) {}

  /** Runs after the HTTP server has drained, so no request loses its database mid-flight. */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
