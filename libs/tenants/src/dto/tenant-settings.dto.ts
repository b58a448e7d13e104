import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';

/** Tenant settings; every field optional, defaults apply on creation, merge on update. */
export class TenantSettingsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000000, description: 'Requests per minute per key' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000000)
  defaultRateLimitPerMinute?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxKeys?: number;

  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { each: true },
  )
  allowedCorsOrigins?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxConcurrentJobs?: number;
}
