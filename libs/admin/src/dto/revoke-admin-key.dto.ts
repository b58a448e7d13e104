import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Revoking an admin key is destructive: the operator states why, and the audit keeps it. */
export class RevokeAdminKeyDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Laptop lost (ticket SEC-42)' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}
