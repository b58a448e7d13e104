import { ApiProperty } from '@nestjs/swagger';
import { TENANT_PLANS, TENANT_STATUSES, TenantRecord } from '../tenant.record';
import { TenantSettingsDto } from './tenant-settings.dto';

/** A tenant as the API shows it. */
export class TenantView {
  @ApiProperty({ example: 'ten_5f0c3a9e2b7d41c8a6e90f12' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TENANT_STATUSES })
  status!: string;

  @ApiProperty({ enum: TENANT_PLANS })
  plan!: string;

  @ApiProperty({ type: TenantSettingsDto })
  settings!: TenantSettingsDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static of(record: TenantRecord): TenantView {
    return {
      id: record.id,
      name: record.name,
      status: record.status,
      plan: record.plan,
      settings: record.settings,
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(record.updatedAt).toISOString(),
    };
  }
}
