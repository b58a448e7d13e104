import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AdminKeyRecord } from '@app/auth';

/** An admin key as listings show it: never the key or its TOTP secret. */
export class AdminKeyView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'dca_...a1B2' })
  prefix!: string;

  @ApiProperty({ enum: ['active', 'revoked'] })
  status!: string;

  @ApiProperty({ type: [String] })
  allowedCidrs!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty()
  createdBy!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  revokedAt?: string;

  static of(record: AdminKeyRecord): AdminKeyView {
    return {
      id: record.id,
      name: record.name,
      prefix: record.displayPrefix,
      status: record.status,
      allowedCidrs: record.allowedCidrs ?? [],
      createdAt: new Date(record.createdAt).toISOString(),
      createdBy: record.createdBy,
      ...(record.revokedAt ? { revokedAt: new Date(record.revokedAt).toISOString() } : {}),
    };
  }
}
