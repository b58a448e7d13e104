import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { TenantRoute } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { ListQueryDto } from '../pagination/list-query.dto';
import { TenantPrincipal } from '../principal/principal.types';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPageView } from './api-key-page.view';
import { ApiKeyView } from './api-key.view';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CreatedApiKeyView } from './created-api-key.view';
import { RotateApiKeyDto } from './rotate-api-key.dto';

/**
 * Tenant self-service: the tenant is always the caller's own, from its principal. A key created
 * or rotated here holds no more than the calling key: scopes, expiry, CIDR ranges, rate limit.
 */
@ApiTags('api keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @TenantRoute('keys:write')
  @ApiOperation({
    summary: 'Create a key holding at most the caller key’s scopes and limits',
    description:
      'Omitted expiry, CIDR ranges and rate limit are inherited from a calling key that has them; ' +
      'a later expiry, a range outside the caller’s or a higher limit answers 403 naming the field.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: TenantPrincipal,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return CreatedApiKeyView.from(
      await this.keys.create(principal, principal.tenantId, body, request.id),
    );
  }

  @Get()
  @TenantRoute('keys:read')
  @ApiOperation({ summary: 'List the tenant’s keys, newest first' })
  @ApiOkResponse({ type: ApiKeyPageView })
  async list(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Query() query: ListQueryDto,
  ): Promise<ApiKeyPageView> {
    return ApiKeyPageView.of(
      await this.keys.list(principal, principal.tenantId, query.limit, query.cursor),
    );
  }

  @Get(':keyId')
  @TenantRoute('keys:read')
  @ApiOperation({ summary: 'Get one of the tenant’s keys' })
  @ApiOkResponse({ type: ApiKeyView })
  async get(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.keys.get(principal, principal.tenantId, keyId));
  }

  @Delete(':keyId')
  @HttpCode(204)
  @TenantRoute('keys:write')
  @ApiOperation({ summary: 'Revoke a key, immediately' })
  @ApiNoContentResponse({ description: 'Revoked, now or by an earlier call' })
  async revoke(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.keys.revoke(principal, principal.tenantId, keyId, request.id);
  }

  @Post(':keyId/rotate')
  @TenantRoute('keys:write')
  @ApiOperation({
    summary: 'Replace a key; the old one works for the chosen grace period',
    description:
      'The replacement keeps the key’s own settings; a key broader than the caller (scopes, ' +
      'expiry, CIDR ranges, rate limit) answers 403 and nothing changes.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The replacement key' })
  async rotate(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('keyId') keyId: string,
    @Body() body: RotateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return CreatedApiKeyView.from(
      await this.keys.rotate(
        principal,
        principal.tenantId,
        keyId,
        body.gracePeriodSeconds,
        request.id,
      ),
    );
  }
}
