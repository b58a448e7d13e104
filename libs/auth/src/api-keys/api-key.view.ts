import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCOPES } from '../principal/scope.types';
import { ApiKeyRecord } from './api-key.record';

/** An API key as listings show it: never the key, only a prefix with its last four characters. */
export class ApiKeyView {
  @ApiProperty({ example: 'key_3kTMd9Qz1bV7xYwL2pNc8R' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'dcs_test_...a1B2' })
  prefix!: string;

  @ApiProperty({ enum: SCOPES, isArray: true })
  scopes!: string[];

  @ApiProperty({ enum: ['active', 'expired', 'revoked'] })
  status!: 'active' | 'expired' | 'revoked';

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastUsedAt!: string | null;

  @ApiProperty({ type: [String] })
  allowedCidrs!: string[];

  @ApiProperty({ nullable: true, type: Number })
  rateLimitPerMinute!: number | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  metadata!: Record<string, string>;

  @ApiPropertyOptional({ description: 'The key that replaced this one' })
  rotatedToKeyId?: string;

  static of(record: ApiKeyRecord, now = Date.now()): ApiKeyView {
    const expired = record.expiresAt !== undefined && record.expiresAt <= now;

    return {
      id: record.id,
      name: record.name,
      prefix: record.displayPrefix,
      scopes: [...record.scopes],
      status: record.status === 'revoked' ? 'revoked' : expired ? 'expired' : 'active',
      createdAt: iso(record.createdAt) as string,
      expiresAt: iso(record.expiresAt),
      lastUsedAt: iso(record.lastUsedAt),
      allowedCidrs: record.allowedCidrs ?? [],
      rateLimitPerMinute: record.rateLimitPerMinute ?? null,
      metadata: record.metadata ?? {},
      ...(record.rotatedToKeyId ? { rotatedToKeyId: record.rotatedToKeyId } : {}),
    };
  }
}

function iso(value: number | undefined): string | null {
  return value === undefined ? null : new Date(value).toISOString();
}
