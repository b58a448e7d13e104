import { ApiProperty } from '@nestjs/swagger';
import { Page } from '@app/auth';
import { TenantRecord } from '../tenant.record';
import { TenantView } from './tenant.view';

export class TenantPageView {
  @ApiProperty({ type: [TenantView] })
  items!: TenantView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  static of(page: Page<TenantRecord>): TenantPageView {
    return {
      items: page.items.map((tenant) => TenantView.of(tenant)),
      nextCursor: page.nextCursor,
    };
  }
}
