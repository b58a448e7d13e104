import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfigService } from './app-config.service';
import { AppConfigValues, Env, loadConfig } from './config.schema';

@Global()
@Module({})
export class AppConfigModule {
  /** Registers already-validated values, so boot fails before any module starts. */
  static forRoot(values: AppConfigValues): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        { provide: AppConfigService, useValue: new AppConfigService(Object.freeze({ ...values })) },
      ],
      exports: [AppConfigService],
    };
  }

  static fromEnv(env: Env = process.env): DynamicModule {
    return AppConfigModule.forRoot(loadConfig(env));
  }
}
