import { ApiProperty } from '@nestjs/swagger';
import { ToolSummaryDto } from './tool-summary.dto';

export class ToolListDto {
  @ApiProperty({ type: [ToolSummaryDto] })
  tools!: ToolSummaryDto[];
}
