import { ApiProperty } from '@nestjs/swagger';
import { ToolSummaryDto } from './tool-summary.dto';

export class ToolDetailDto extends ToolSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema of the input.',
  })
  inputSchema!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema of the output.',
  })
  outputSchema!: Record<string, unknown>;
}
