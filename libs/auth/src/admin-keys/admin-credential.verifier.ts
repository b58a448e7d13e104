import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CredentialRejection } from '../access/credential-rejection.error';
import { TtlCache } from '../cache/ttl.cache';
import { KeyMaterialService } from '../keys/key-material.service';
import { CidrMatcher } from '../network/cidr.matcher';
import { AdminKeyRepository } from './admin-key.repository';
import { StepUpTokenRepository } from './step-up-token.repository';

interface CachedAdminKey {
  adminKeyId: string;
  cidrs?: CidrMatcher;
}

/**
 * Verifies admin keys (cached like tenant keys, by HMAC) and step-up tokens (never cached:
 * they guard rare mutations, and revoking one, or its admin key, must take effect everywhere at
 * once).
 */
@Injectable()
export class AdminCredentialVerifier {
  private readonly cache: TtlCache<string, CachedAdminKey>;

  constructor(
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(AdminKeyRepository) private readonly adminKeys: AdminKeyRepository,
    @Inject(StepUpTokenRepository) private readonly tokens: StepUpTokenRepository,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    this.cache = new TtlCache(config.get('authCacheTtlMs'));
  }

  async verifyKey(presented: string): Promise<CachedAdminKey> {
    const recognised = this.keys.recognise(presented, 'admin');
    if (recognised === undefined) {
      throw new CredentialRejection('malformed');
    }

    const cached = this.cache.get(recognised.hash);
    if (cached !== undefined) {
      return cached;
    }

    const record = await this.adminKeys.get(recognised.id);
    if (record === undefined || !this.keys.hashMatches(record.keyHash, recognised.hash)) {
      throw new CredentialRejection('unknown');
    }
    if (record.status !== 'active') {
      throw new CredentialRejection('revoked', { adminKeyId: record.id });
    }

    const entry: CachedAdminKey = {
      adminKeyId: record.id,
      cidrs: record.allowedCidrs?.length ? new CidrMatcher(record.allowedCidrs) : undefined,
    };
    this.cache.set(recognised.hash, entry);

    return entry;
  }

  /**
   * True when the token is live and bound to this admin key. The key itself is read again too
   * (consistently): its cached verification may predate a revocation on another instance, and no
   * mutation may ride on that. A key found revoked is refused (401) and dropped from the cache.
   */
  async verifyStepUp(presented: string | undefined, adminKeyId: string): Promise<boolean> {
    if (presented === undefined) {
      return false;
    }

    const recognised = this.keys.recognise(presented, 'stepUp');
    if (recognised === undefined) {
      return false;
    }

    const token = await this.tokens.get(recognised.id);
    if (
      token === undefined ||
      !this.keys.hashMatches(token.tokenHash, recognised.hash) ||
      token.adminKeyId !== adminKeyId ||
      token.expiresAt <= Date.now()
    ) {
      return false;
    }

    const adminKey = await this.adminKeys.get(adminKeyId);
    if (adminKey?.status !== 'active') {
      this.evict(adminKeyId);
      throw new CredentialRejection(adminKey === undefined ? 'unknown' : 'revoked', { adminKeyId });
    }

    return true;
  }

  evict(adminKeyId: string): void {
    this.cache.deleteWhere((entry) => entry.adminKeyId === adminKeyId);
  }
}
