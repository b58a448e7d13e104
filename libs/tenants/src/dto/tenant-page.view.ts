import { ApiProperty } from '@nestjs/swagger';
import { TenantView } from './tenant.view';

export class TenantPageView {
  @ApiProperty({ type: [TenantView] })
  items!: TenantView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
