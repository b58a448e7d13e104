import { ApiProperty } from '@nestjs/swagger';

export class StepUpTokenView {
  @ApiProperty({ description: 'Send as X-Admin-Step-Up with X-Admin-Key on mutating admin calls' })
  token!: string;

  @ApiProperty({ description: 'Seconds until the token expires', example: 900 })
  expiresIn!: number;
}
