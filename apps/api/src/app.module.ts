import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { AdminModule } from '@app/admin';
import { AuthModule } from '@app/auth';
import { AppConfigModule, AppConfigValues } from '@app/config';
import { DynamoModule } from '@app/dynamo';
import { ObservabilityModule } from '@app/observability';
import { TenantsModule } from '@app/tenants';
import { ToolsModule } from '@app/tools';

@Module({})
export class AppModule {
  /** Infrastructure first (config, logs, database), then the feature modules. */
  static register(config: AppConfigValues, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        // Request logging is a Fastify hook; nestjs-pino only backs the Nest logger, so no
        // per-request async context is created (it costs most of the throughput on Node 20).
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
        // createApp closes the database after every shutdown hook, some of which still write.
        DynamoModule.closedByApplication(),
        ObservabilityModule,
        TenantsModule,
        AuthModule,
        AdminModule,
        ToolsModule,
      ],
    };
  }
}
