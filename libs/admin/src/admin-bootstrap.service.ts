import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AdminKeyRepository } from '@app/auth';
import { AppConfigService } from '@app/config';
import { DynamoConnection } from '@app/dynamo';
import { AdminKeysService } from './admin-keys.service';

/**
 * First start on the embedded database (or ADMIN_BOOTSTRAP=true): create an admin key and print
 * it once to stdout, outside the JSON log stream. Never in production or on Lambda, where the
 * CLI creates the first key. A conditional bootstrap marker makes concurrent starts agree.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    @Inject(AppConfigService) private readonly config: AppConfigService,
    @Inject(DynamoConnection) private readonly connection: DynamoConnection,
    @Inject(AdminKeyRepository) private readonly repository: AdminKeyRepository,
    @Inject(AdminKeysService) private readonly adminKeys: AdminKeysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const requested = this.config.get('adminBootstrap');
    if (!this.connection.isEmbedded && !requested) {
      return;
    }
    if (this.config.isProduction || process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
      if (requested) {
        this.logger.warn(
          'ADMIN_BOOTSTRAP is ignored in production; use `npm run admin -- create-key`',
        );
      }

      return;
    }
    if ((await this.repository.activeCount()) > 0) {
      return;
    }
    if (!(await this.repository.claimBootstrap(Date.now()))) {
      this.logger.warn(
        'No active admin key, but bootstrap already ran once; use `npm run admin -- create-key`',
      );

      return;
    }

    const issued = await this.adminKeys.create({ name: 'bootstrap' }, 'bootstrap', 'bootstrap');
    process.stdout.write(
      [
        '',
        '=== DcisionAI bootstrap admin key (shown once, store it now) ===',
        `Admin key:   ${issued.key}`,
        `TOTP secret: ${issued.totpSecret}`,
        `otpauth URI: ${issued.otpauthUrl}`,
        '=================================================================',
        '',
      ].join('\n'),
    );
    this.logger.log(
      { adminKeyId: issued.record.id },
      'Bootstrap admin key created and printed once',
    );
  }
}
