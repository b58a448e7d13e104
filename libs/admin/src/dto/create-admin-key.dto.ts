import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DisplayName, IsCidrList } from '@app/auth';

export class CreateAdminKeyDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: 'alice-laptop',
    description: 'Trimmed; no control characters or bidirectional overrides',
  })
  @DisplayName(100)
  name!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50, example: ['203.0.113.0/24'] })
  @IsOptional()
  @IsCidrList()
  allowedCidrs?: string[];
}
