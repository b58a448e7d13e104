import { Body, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import {
  AdminController,
  AdminMutation,
  AdminPrincipal,
  AdminRead,
  CurrentPrincipal,
  ListQueryDto,
} from '@app/auth';
import { AdminKeysService } from './admin-keys.service';
import { AdminKeyPageView } from './dto/admin-key-page.view';
import { AdminKeyView } from './dto/admin-key.view';
import { CreateAdminKeyDto } from './dto/create-admin-key.dto';
import { CreatedAdminKeyView } from './dto/created-admin-key.view';
import { RevokeAdminKeyDto } from './dto/revoke-admin-key.dto';

@AdminController('v1/admin/admin-keys', 'admin: admin keys')
export class AdminKeysController {
  constructor(@Inject(AdminKeysService) private readonly adminKeys: AdminKeysService) {}

  @Post()
  @AdminMutation('admin_key.create', 'Create an admin key; its key and TOTP secret are shown once')
  @ApiCreatedResponse({ type: CreatedAdminKeyView })
  async create(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Body() body: CreateAdminKeyDto,
  ): Promise<CreatedAdminKeyView> {
    const issued = await this.adminKeys.create(body, `admin:${principal.adminKeyId}`, request.id);

    return {
      ...AdminKeyView.of(issued.record),
      key: issued.key,
      totpSecret: issued.totpSecret,
      otpauthUrl: issued.otpauthUrl,
    };
  }

  @Get()
  @AdminRead('List admin keys, newest first')
  @ApiOkResponse({ type: AdminKeyPageView })
  async list(@Query() query: ListQueryDto): Promise<AdminKeyPageView> {
    const page = await this.adminKeys.list(query.limit, query.cursor);

    return {
      items: page.items.map((record) => AdminKeyView.of(record)),
      nextCursor: page.nextCursor,
    };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @AdminMutation(
    'admin_key.revoke',
    'Revoke an admin key (never the last active one); needs a reason; idempotent',
  )
  @ApiNoContentResponse({ description: 'Revoked, now or by an earlier call' })
  async revoke(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('keyId') keyId: string,
    @Body() body: RevokeAdminKeyDto,
  ): Promise<void> {
    await this.adminKeys.revoke(keyId, body.reason, principal.adminKeyId, request.id);
  }
}
