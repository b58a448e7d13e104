import { Item } from 'dynamoose/dist/Item';
import { Scope } from '../principal/scope.types';

/** An API key as stored: never the key itself, only its peppered HMAC. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  keyHash: string;
  name: string;
  displayPrefix: string;
  scopes: Scope[];
  status: 'active' | 'revoked';
  createdAt: number;
  updatedAt: number;
  expiresAt?: number;
  allowedCidrs?: string[];
  rateLimitPerMinute?: number;
  metadata?: Record<string, string>;
  lastUsedAt?: number;
  revokedAt?: number;
  rotatedToKeyId?: string;
  rotatedFromKeyId?: string;
  /** Who issued it: `admin:<adminKeyId>` or `key:<keyId>`. */
  createdBy: string;
}

export type ApiKeyItem = Item & Omit<ApiKeyRecord, 'metadata'> & { metadataJson?: string };

/** The settings a key carries over to its replacement when rotated. */
export type ApiKeySettings = Pick<
  ApiKeyRecord,
  'name' | 'scopes' | 'expiresAt' | 'allowedCidrs' | 'rateLimitPerMinute' | 'metadata'
>;
