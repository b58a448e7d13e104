import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyView } from './api-key.view';

export class ApiKeyPageView {
  @ApiProperty({ type: [ApiKeyView] })
  items!: ApiKeyView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
