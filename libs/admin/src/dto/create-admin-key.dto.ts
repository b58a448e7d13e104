import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { IsCidrList } from '@app/auth';

export class CreateAdminKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'alice-laptop' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['203.0.113.0/24'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsCidrList()
  allowedCidrs?: string[];
}
