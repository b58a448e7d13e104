import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AdminAuditInterceptor,
  AdminPrincipal,
  AdminRoute,
  AuditAction,
  CurrentPrincipal,
} from '@app/auth';
import { AdminKeysService } from './admin-keys.service';
import { AdminKeyPageView } from './dto/admin-key-page.view';
import { AdminKeyView } from './dto/admin-key.view';
import { CreateAdminKeyDto } from './dto/create-admin-key.dto';
import { CreatedAdminKeyView } from './dto/created-admin-key.view';
import { RevokeAdminKeyDto } from './dto/revoke-admin-key.dto';

@ApiTags('admin: admin keys')
@Controller('v1/admin/admin-keys')
@UseInterceptors(AdminAuditInterceptor)
export class AdminKeysController {
  constructor(@Inject(AdminKeysService) private readonly adminKeys: AdminKeysService) {}

  @Post()
  @AdminRoute({ stepUp: true })
  @AuditAction('admin_key.create')
  @ApiOperation({ summary: 'Create an admin key; its key and TOTP secret are shown once' })
  async create(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Body() body: CreateAdminKeyDto,
  ): Promise<CreatedAdminKeyView> {
    const issued = await this.adminKeys.create(body, `admin:${principal.adminKeyId}`);

    return {
      ...AdminKeyView.of(issued.record),
      key: issued.key,
      totpSecret: issued.totpSecret,
      otpauthUrl: issued.otpauthUrl,
    };
  }

  @Get()
  @AdminRoute({ stepUp: false })
  @ApiOperation({ summary: 'List admin keys' })
  async list(): Promise<AdminKeyPageView> {
    const records = await this.adminKeys.list();

    return { items: records.map((record) => AdminKeyView.of(record)), nextCursor: null };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @AdminRoute({ stepUp: true })
  @AuditAction('admin_key.revoke')
  @ApiOperation({ summary: 'Revoke an admin key (never the last active one); needs a reason' })
  async revoke(
    @CurrentPrincipal() principal: AdminPrincipal,
    @Param('keyId') keyId: string,
    @Body() body: RevokeAdminKeyDto,
  ): Promise<void> {
    await this.adminKeys.revoke(keyId, body.reason, principal.adminKeyId);
  }
}
