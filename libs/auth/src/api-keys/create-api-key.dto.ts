import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { IsCidrList } from '../network/is-cidr.validator';
import { SCOPES, Scope } from '../principal/scope';
import { IsStringMap } from './is-string-map.validator';

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'billing-service' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    enum: SCOPES,
    isArray: true,
    description: 'A key with no scopes can call nothing',
  })
  @IsArray()
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes!: Scope[];

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Must be in the future; on /v1/api-keys no later than the calling key’s expiry (its default)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['203.0.113.0/24', '2001:db8::/32'],
    description:
      'Empty or omitted: any address. On /v1/api-keys each range must lie within the calling ' +
      'key’s ranges, which are the default',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsCidrList()
  allowedCidrs?: string[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000000,
    description:
      'Overrides the tenant default; on /v1/api-keys at most the calling key’s effective limit',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000000)
  rateLimitPerMinute?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  @IsStringMap()
  metadata?: Record<string, string>;
}
