import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuditInterceptor, AdminRoute, AuditAction, ListQueryDto } from '@app/auth';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { DeleteTenantDto } from './dto/delete-tenant.dto';
import { TenantPageView } from './dto/tenant-page.view';
import { TenantView } from './dto/tenant.view';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('admin: tenants')
@Controller('v1/admin/tenants')
@UseInterceptors(AdminAuditInterceptor)
export class AdminTenantsController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Post()
  @AdminRoute({ stepUp: true })
  @AuditAction('tenant.create')
  @ApiOperation({ summary: 'Create a tenant' })
  async create(@Body() body: CreateTenantDto): Promise<TenantView> {
    return TenantView.of(await this.tenants.create(body));
  }

  @Get()
  @AdminRoute({ stepUp: false })
  @ApiOperation({ summary: 'List tenants, newest first' })
  async list(@Query() query: ListQueryDto): Promise<TenantPageView> {
    const page = await this.tenants.list(query.limit, query.cursor);

    return {
      items: page.items.map((tenant) => TenantView.of(tenant)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':tenantId')
  @AdminRoute({ stepUp: false })
  @ApiOperation({ summary: 'Get a tenant' })
  async get(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return TenantView.of(await this.tenants.get(tenantId));
  }

  @Patch(':tenantId')
  @AdminRoute({ stepUp: true })
  @AuditAction('tenant.update')
  @ApiOperation({ summary: 'Update a tenant; status suspended refuses all its keys' })
  async update(
    @Param('tenantId') tenantId: string,
    @Body() body: UpdateTenantDto,
  ): Promise<TenantView> {
    return TenantView.of(await this.tenants.update(tenantId, body));
  }

  @Delete(':tenantId')
  @HttpCode(204)
  @AdminRoute({ stepUp: true })
  @AuditAction('tenant.delete')
  @ApiOperation({ summary: 'Delete a tenant: its keys fail at once; a reason is required' })
  async delete(@Param('tenantId') tenantId: string, @Body() body: DeleteTenantDto): Promise<void> {
    await this.tenants.delete(tenantId, body.reason);
  }
}
