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
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminRoute } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { AdminAuditInterceptor } from '../audit/admin-audit.interceptor';
import { AuditAction } from '../audit/audit-action.decorator';
import { ListQueryDto } from '../pagination/list-query.dto';
import { AdminPrincipal } from '../principal/principal';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPageView } from './api-key-page.view';
import { ApiKeyView } from './api-key.view';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CreatedApiKeyView } from './created-api-key.view';
import { RotateApiKeyDto } from './rotate-api-key.dto';

/** Operators manage any tenant's keys; the tenant comes from the path, by design. */
@ApiTags('admin: api keys')
@Controller('v1/admin/tenants/:tenantId/api-keys')
@UseInterceptors(AdminAuditInterceptor)
export class AdminApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @AdminRoute({ stepUp: true })
  @AuditAction('api_key.create')
  @ApiOperation({ summary: 'Create a key for a tenant' })
  async create(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    const { record, key } = await this.keys.create(principal, tenantId, body);

    return CreatedApiKeyView.withKey(record, key);
  }

  @Get()
  @AdminRoute({ stepUp: false })
  @ApiOperation({ summary: 'List a tenant’s keys, newest first' })
  async list(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Query() query: ListQueryDto,
  ): Promise<ApiKeyPageView> {
    const page = await this.keys.list(principal, tenantId, query.limit, query.cursor);

    return {
      items: page.items.map((record) => ApiKeyView.of(record)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':keyId')
  @AdminRoute({ stepUp: false })
  @ApiOperation({ summary: 'Get a tenant’s key' })
  async get(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.keys.get(principal, tenantId, keyId));
  }

  @Delete(':keyId')
  @HttpCode(204)
  @AdminRoute({ stepUp: true })
  @AuditAction('api_key.revoke')
  @ApiOperation({ summary: 'Revoke a tenant’s key, immediately' })
  async revoke(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.keys.revoke(principal, tenantId, keyId);
  }

  @Post(':keyId/rotate')
  @AdminRoute({ stepUp: true })
  @AuditAction('api_key.rotate')
  @ApiOperation({ summary: 'Replace a tenant’s key; the old one works for the grace period' })
  async rotate(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('tenantId') tenantId: string,
    @Param('keyId') keyId: string,
    @Body() body: RotateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    const { record, key } = await this.keys.rotate(
      principal,
      tenantId,
      keyId,
      body.gracePeriodSeconds,
    );

    return CreatedApiKeyView.withKey(record, key);
  }
}
