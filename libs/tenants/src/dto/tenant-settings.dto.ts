import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, isURL } from 'class-validator';
import { IntegerBetween, ListOf } from '@app/auth';

/** Tenant settings; every field optional, defaults apply on creation, merge on update. */
export class TenantSettingsDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000000,
    description: 'Requests per minute per key; stored, not enforced yet',
  })
  @IsOptional()
  @IntegerBetween(1, 1000000)
  defaultRateLimitPerMinute?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000 })
  @IsOptional()
  @IntegerBetween(1, 10000)
  maxKeys?: number;

  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com'] })
  @IsOptional()
  @ListOf({
    maxSize: 50,
    entry: (entry) =>
      typeof entry === 'string' &&
      isURL(entry, { require_tld: false, require_protocol: true, protocols: ['http', 'https'] }),
    entryDescription: 'an http or https URL',
  })
  allowedCorsOrigins?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptional()
  @IntegerBetween(1, 1000)
  maxConcurrentJobs?: number;
}
