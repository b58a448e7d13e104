import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class StepUpDto {
  @ApiProperty({ example: '123456', description: 'The current code of the admin key’s TOTP' })
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp!: string;
}
