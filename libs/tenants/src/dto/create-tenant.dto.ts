import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { DisplayName } from '@app/auth';
import { TENANT_PLANS, TenantPlan } from '../tenant.record';
import { TenantSettingsDto } from './tenant-settings.dto';

export class CreateTenantDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    example: 'Acme Logistics',
    description: 'Trimmed; no control characters or bidirectional overrides',
  })
  @DisplayName(200)
  name!: string;

  @ApiPropertyOptional({ enum: TENANT_PLANS, default: 'starter' })
  @IsOptional()
  @IsIn(TENANT_PLANS)
  plan?: TenantPlan;

  @ApiPropertyOptional({ type: TenantSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TenantSettingsDto)
  settings?: TenantSettingsDto;
}
