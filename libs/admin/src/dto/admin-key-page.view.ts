import { ApiProperty } from '@nestjs/swagger';
import { AdminKeyView } from './admin-key.view';

export class AdminKeyPageView {
  @ApiProperty({ type: [AdminKeyView] })
  items!: AdminKeyView[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: admin keys are few' })
  nextCursor!: string | null;
}
