import {
  Body,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { AdminController, AdminMutation, AdminRead, ListQueryDto } from '@app/auth';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { DeleteTenantDto } from './dto/delete-tenant.dto';
import { TenantPageView } from './dto/tenant-page.view';
import { TenantView } from './dto/tenant.view';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantsService } from './tenants.service';

@AdminController('v1/admin/tenants', 'admin: tenants')
export class AdminTenantsController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Post()
  @AdminMutation('tenant.create', 'Create a tenant')
  @ApiCreatedResponse({ type: TenantView })
  async create(@Req() request: FastifyRequest, @Body() body: CreateTenantDto): Promise<TenantView> {
    return TenantView.of(await this.tenants.create(body, request.id));
  }

  @Get()
  @AdminRead('List tenants, newest first')
  @ApiOkResponse({ type: TenantPageView })
  async list(@Query() query: ListQueryDto): Promise<TenantPageView> {
    return TenantPageView.of(await this.tenants.list(query.limit, query.cursor));
  }

  @Get(':tenantId')
  @AdminRead('Get a tenant')
  @ApiOkResponse({ type: TenantView })
  async get(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return TenantView.of(await this.tenants.get(tenantId));
  }

  @Patch(':tenantId')
  @AdminMutation('tenant.update', 'Update a tenant; status suspended refuses all its keys')
  @ApiOkResponse({ type: TenantView })
  async update(
    @Req() request: FastifyRequest,
    @Param('tenantId') tenantId: string,
    @Body() body: UpdateTenantDto,
  ): Promise<TenantView> {
    return TenantView.of(await this.tenants.update(tenantId, body, request.id));
  }

  @Delete(':tenantId')
  @HttpCode(204)
  @AdminMutation('tenant.delete', 'Delete a tenant: its keys fail at once; a reason is required')
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(
    @Req() request: FastifyRequest,
    @Param('tenantId') tenantId: string,
    @Body() body: DeleteTenantDto,
  ): Promise<void> {
    await this.tenants.delete(tenantId, body.reason, request.id);
  }
}
