import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCidrList } from '../network/is-cidr.validator';
import { SCOPES, Scope } from '../principal/scope.types';
import { DisplayName } from '../validation/display-name.validator';
import { IsRfc3339DateTime } from '../validation/rfc3339.validator';
import { IntegerBetween, ListOf } from '../validation/single-message.validators';
import { IsStringMap } from './is-string-map.validator';

export class CreateApiKeyDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: 'billing-service',
    description: 'Trimmed; no control characters or bidirectional overrides',
  })
  @DisplayName(100)
  name!: string;

  @ApiProperty({
    enum: SCOPES,
    isArray: true,
    description: 'A key with no scopes can call nothing',
  })
  @ListOf({
    maxSize: SCOPES.length,
    unique: true,
    entry: (entry) => (SCOPES as readonly unknown[]).includes(entry),
    entryDescription: `one of: ${SCOPES.join(', ')}`,
  })
  scopes!: Scope[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2030-01-01T00:00:00Z',
    description:
      'RFC 3339 with an offset (Z or ±hh:mm); must be in the future; on /v1/api-keys no later ' +
      'than the calling key’s expiry (its default)',
  })
  @IsOptional()
  @IsRfc3339DateTime()
  expiresAt?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['203.0.113.0/24', '2001:db8::/32'],
    description:
      'Empty or omitted: any address. On /v1/api-keys each range must lie within the calling ' +
      'key’s ranges, which are the default',
  })
  @IsOptional()
  @IsCidrList()
  allowedCidrs?: string[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000000,
    description:
      'Overrides the tenant default; on /v1/api-keys at most the calling key’s effective limit. ' +
      'Stored and carried on the principal, not enforced yet',
  })
  @IsOptional()
  @IntegerBetween(1, 1000000)
  rateLimitPerMinute?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsStringMap()
  metadata?: Record<string, string>;
}
