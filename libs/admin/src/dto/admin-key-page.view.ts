import { ApiProperty } from '@nestjs/swagger';
import { AdminKeyView } from './admin-key.view';

export class AdminKeyPageView {
  @ApiProperty({ type: [AdminKeyView] })
  items!: AdminKeyView[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last one',
  })
  nextCursor!: string | null;
}
