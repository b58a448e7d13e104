import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IntegerBetween } from '../validation/single-message.validators';

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 86400,
    default: 0,
    description: 'How long the old key keeps working (never past its own expiry); 0 revokes it now',
  })
  @IsOptional()
  @IntegerBetween(0, 86400)
  gracePeriodSeconds?: number;
}
