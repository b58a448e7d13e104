import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AppConfigModule, AppConfigValues } from '@app/config';
import { DynamoModule } from '@app/dynamo';
import { TenantsModule } from '@app/tenants';
import { AdminKeysService } from '../admin-keys.service';
import { TotpService } from '../totp.service';

/** Just enough of the service to manage admin keys from a shell, with the same config. */
@Module({})
export class AdminCliModule {
  static register(config: AppConfigValues): DynamicModule {
    return {
      module: AdminCliModule,
      imports: [AppConfigModule.forRoot(config), DynamoModule, TenantsModule, AuthModule],
      providers: [TotpService, AdminKeysService],
      exports: [AdminKeysService],
    };
  }
}
