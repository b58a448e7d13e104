import { Item } from 'dynamoose/dist/Item';

/** An admin key as stored: its HMAC and its TOTP seed sealed under the pepper-derived key. */
export interface AdminKeyRecord {
  id: string;
  keyHash: string;
  name: string;
  displayPrefix: string;
  status: 'active' | 'revoked';
  totpSecretSealed: string;
  /** The last accepted TOTP time step; a code is only accepted for a later step (no replay). */
  lastOtpStep: number;
  allowedCidrs?: string[];
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  revokedAt?: number;
  revokeReason?: string;
}

/**
 * The table also holds two bookkeeping items, told apart by `kind`. Step-up attempts are counted
 * on the key item per fixed window; the count is bookkeeping, not part of the record.
 */
export type AdminKeyItem = Item &
  Partial<AdminKeyRecord> & {
    id: string;
    kind: 'key' | 'meta' | 'bootstrap';
    activeCount?: number;
    otpAttemptWindow?: number;
    otpAttempts?: number;
  };

export const ADMIN_META_ID = '#meta';
export const ADMIN_BOOTSTRAP_ID = '#bootstrap';
