import { ApiProperty } from '@nestjs/swagger';
import { SCOPES, Scope } from '@app/auth';
import { TOOL_CATEGORIES, ToolCategory } from '../registry/tool.definition';

export class ToolSummaryDto {
  @ApiProperty({ example: 'solve_optimization' })
  name!: string;

  @ApiProperty({ example: '1.0.0' })
  version!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: TOOL_CATEGORIES })
  category!: ToolCategory;

  @ApiProperty({ enum: SCOPES, description: 'Scope a key needs to invoke the tool.' })
  requiredScope!: Scope;

  @ApiProperty({ description: 'Longest the tool may run before it is stopped (504).' })
  timeoutMs!: number;

  @ApiProperty({ description: 'Quota units one invocation consumes.' })
  cost!: number;
}
