import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 86400,
    default: 0,
    description: 'How long the old key keeps working (never past its own expiry); 0 revokes it now',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  gracePeriodSeconds?: number;
}
