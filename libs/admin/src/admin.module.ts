import { Module } from '@nestjs/common';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AdminKeysController } from './admin-keys.controller';
import { AdminKeysService } from './admin-keys.service';
import { StepUpController } from './step-up.controller';
import { StepUpService } from './step-up.service';
import { TotpService } from './totp.service';

/** Admin keys, step-up verification and bootstrap. Relies on the global AuthModule. */
@Module({
  controllers: [AdminKeysController, StepUpController],
  providers: [TotpService, AdminKeysService, StepUpService, AdminBootstrapService],
  exports: [TotpService, AdminKeysService, StepUpService],
})
export class AdminModule {}
