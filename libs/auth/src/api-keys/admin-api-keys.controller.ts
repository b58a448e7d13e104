import { Body, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { AdminController, AdminMutation, AdminRead } from '../audit/admin-controller.decorator';
import { ListQueryDto } from '../pagination/list-query.dto';
import { AdminPrincipal } from '../principal/principal.types';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPageView } from './api-key-page.view';
import { ApiKeyView } from './api-key.view';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CreatedApiKeyView } from './created-api-key.view';
import { RotateApiKeyDto } from './rotate-api-key.dto';

/** Operators manage any tenant's keys; the tenant comes from the path, by design. */
@AdminController('v1/admin/tenants/:tenantId/api-keys', 'admin: api keys')
export class AdminApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @AdminMutation('api_key.create', 'Create a key for a tenant')
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return CreatedApiKeyView.from(await this.keys.create(principal, tenantId, body, request.id));
  }

  @Get()
  @AdminRead('List a tenant’s keys, newest first')
  @ApiOkResponse({ type: ApiKeyPageView })
  async list(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Query() query: ListQueryDto,
  ): Promise<ApiKeyPageView> {
    return ApiKeyPageView.of(await this.keys.list(principal, tenantId, query.limit, query.cursor));
  }

  @Get(':keyId')
  @AdminRead('Get a tenant’s key')
  @ApiOkResponse({ type: ApiKeyView })
  async get(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.keys.get(principal, tenantId, keyId));
  }

  @Delete(':keyId')
  @HttpCode(204)
  @AdminMutation('api_key.revoke', 'Revoke a tenant’s key, immediately')
  @ApiNoContentResponse({ description: 'Revoked, now or by an earlier call' })
  async revoke(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.keys.revoke(principal, tenantId, keyId, request.id);
  }

  @Post(':keyId/rotate')
  @AdminMutation('api_key.rotate', 'Replace a tenant’s key; the old one works for the grace period')
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The replacement key' })
  async rotate(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Param('keyId') keyId: string,
    @Body() body: RotateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return CreatedApiKeyView.from(
      await this.keys.rotate(principal, tenantId, keyId, body.gracePeriodSeconds, request.id),
    );
  }
}
