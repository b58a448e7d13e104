import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TOOL_CATEGORIES, ToolCategory } from '../registry/tool.definition';

export class ListToolsQueryDto {
  @ApiPropertyOptional({ enum: TOOL_CATEGORIES, description: 'Only tools of this category.' })
  @IsOptional()
  @IsIn(TOOL_CATEGORIES)
  category?: ToolCategory;
}
