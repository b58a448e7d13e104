import { ApiProperty } from '@nestjs/swagger';
import { Page } from '../pagination/page-cursor.codec';
import { ApiKeyRecord } from './api-key.record';
import { ApiKeyView } from './api-key.view';

export class ApiKeyPageView {
  @ApiProperty({ type: [ApiKeyView] })
  items!: ApiKeyView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  static of(page: Page<ApiKeyRecord>): ApiKeyPageView {
    return {
      items: page.items.map((record) => ApiKeyView.of(record)),
      nextCursor: page.nextCursor,
    };
  }
}
