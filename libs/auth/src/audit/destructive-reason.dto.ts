import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/**
 * The body of a destructive admin operation: the operator states why, and the audit keeps it.
 * A blank reason would satisfy the length alone, so it must hold some visible text.
 */
export class DestructiveReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Contract ended (ticket OPS-123)' })
  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}
