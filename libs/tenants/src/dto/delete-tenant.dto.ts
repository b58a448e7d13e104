import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Deleting a tenant is destructive: the operator states why, and the audit keeps it. */
export class DeleteTenantDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Contract ended (ticket OPS-123)' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}
