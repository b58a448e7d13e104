import { Body, Delete, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { AdminController, AdminMutation, AdminPrincipal, CurrentPrincipal } from '@app/auth';
import { StepUpTokenView } from './dto/step-up-token.view';
import { StepUpDto } from './dto/step-up.dto';
import { StepUpService } from './step-up.service';

/** Step-up tokens are what mutations need, so managing them needs only the admin key. */
@AdminController('v1/admin/step-up', 'admin: step-up')
export class StepUpController {
  constructor(@Inject(StepUpService) private readonly stepUps: StepUpService) {}

  @Post()
  @HttpCode(200)
  @AdminMutation('step_up.create', 'Exchange a one-time code for a short-lived step-up token', {
    stepUp: false,
  })
  @ApiOkResponse({ type: StepUpTokenView })
  stepUp(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Body() body: StepUpDto,
  ): Promise<StepUpTokenView> {
    return this.stepUps.stepUp(principal.adminKeyId, body.otp, request.id);
  }

  @Delete()
  @HttpCode(204)
  @AdminMutation('step_up.revoke', 'End the step-up token given in X-Admin-Step-Up', {
    stepUp: false,
  })
  @ApiHeader({ name: 'X-Admin-Step-Up', required: true })
  @ApiNoContentResponse({ description: 'The token no longer admits anything' })
  async revoke(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Headers('x-admin-step-up') token: string | undefined,
  ): Promise<void> {
    await this.stepUps.revoke(token, principal.adminKeyId, request.id);
  }
}
