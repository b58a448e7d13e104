import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { DisplayName } from '@app/auth';
import { TENANT_PLANS, TENANT_STATUSES, TenantPlan, TenantStatus } from '../tenant.record';
import { TenantSettingsDto } from './tenant-settings.dto';

export class UpdateTenantDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: 'Trimmed; no control characters or bidirectional overrides',
  })
  @IsOptional()
  @DisplayName(200)
  name?: string;

  @ApiPropertyOptional({ enum: TENANT_PLANS })
  @IsOptional()
  @IsIn(TENANT_PLANS)
  plan?: TenantPlan;

  @ApiPropertyOptional({ enum: TENANT_STATUSES, description: 'suspended refuses all its keys' })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  @ApiPropertyOptional({ type: TenantSettingsDto, description: 'Merged into current settings' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TenantSettingsDto)
  settings?: TenantSettingsDto;
}
