import { ApiProperty } from '@nestjs/swagger';
import { ToolSummaryDto } from './tool-summary.dto';

/** The shape of every list of this API; the registry fits in one page, so no cursor follows. */
export class ToolListDto {
  @ApiProperty({ type: [ToolSummaryDto] })
  items!: ToolSummaryDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}
