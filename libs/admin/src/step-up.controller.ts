import {
  Body,
  Controller,
  Delete,
  Headers,
  HttpCode,
  Inject,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AdminAuditInterceptor,
  AdminPrincipal,
  AdminRoute,
  AuditAction,
  CurrentPrincipal,
} from '@app/auth';
import { StepUpTokenView } from './dto/step-up-token.view';
import { StepUpDto } from './dto/step-up.dto';
import { StepUpService } from './step-up.service';

@ApiTags('admin: step-up')
@Controller('v1/admin/step-up')
@UseInterceptors(AdminAuditInterceptor)
export class StepUpController {
  constructor(@Inject(StepUpService) private readonly stepUps: StepUpService) {}

  @Post()
  @HttpCode(200)
  @AdminRoute({ stepUp: false })
  @AuditAction('step_up.create')
  @ApiOperation({ summary: 'Exchange a one-time code for a short-lived step-up token' })
  stepUp(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Body() body: StepUpDto,
  ): Promise<StepUpTokenView> {
    return this.stepUps.stepUp(principal.adminKeyId, body.otp);
  }

  @Delete()
  @HttpCode(204)
  @AdminRoute({ stepUp: false })
  @AuditAction('step_up.revoke')
  @ApiHeader({ name: 'X-Admin-Step-Up', required: true })
  @ApiOperation({ summary: 'End the step-up token given in X-Admin-Step-Up' })
  async revoke(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Headers('x-admin-step-up') token: string | undefined,
  ): Promise<void> {
    await this.stepUps.revoke(token, principal.adminKeyId);
  }
}
