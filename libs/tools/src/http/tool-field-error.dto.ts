import { ApiProperty } from '@nestjs/swagger';

/** One failing input path of a tool problem. */
export class ToolFieldErrorDto {
  @ApiProperty({ example: '/constraints/0/terms/z', description: 'JSON pointer into the input.' })
  field!: string;

  @ApiProperty({ example: 'refers to an undeclared variable' })
  message!: string;
}
