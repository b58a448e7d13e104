import { hash as digest } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { KeyHasher } from './key-hasher.service';
import { KEY_PREFIXES, tenantKeyPrefix } from './key-prefixes.constants';
import { PepperLoader } from './pepper.loader';
import { SecretBox } from './secret-box.cipher';
import { SecretKeyCodec } from './secret-key.codec';

/** The issued secret, its stored hash and the record id derived from that hash. */
export interface IssuedSecret {
  id: string;
  secret: string;
  hash: string;
  displayPrefix: string;
}

export type SecretKind = 'tenant' | 'admin' | 'stepUp';

/** A kind's textual prefix and the prefix of the record ids derived from its hashes. */
interface KindPrefixes {
  secret: string;
  id: string;
}

/** Issues, recognises and hashes every kind of secret, all under the one server pepper. */
@Injectable()
export class KeyMaterialService {
  readonly tenantPrefix: string;
  private readonly hasher: KeyHasher;
  readonly box: SecretBox;
  /** Built once: recognising a key runs on every request. */
  private readonly prefixes: Readonly<Record<SecretKind, KindPrefixes>>;

  constructor(@Inject(AppConfigService) config: AppConfigService) {
    const pepper = new PepperLoader().load(config.get('apiKeyPepper'), config.get('dataDir'));
    this.hasher = new KeyHasher(pepper);
    this.box = new SecretBox(pepper);
    this.tenantPrefix = tenantKeyPrefix(config.get('stage'));
    this.prefixes = {
      tenant: { secret: this.tenantPrefix, id: 'key_' },
      admin: { secret: KEY_PREFIXES.admin, id: 'adk_' },
      stepUp: { secret: KEY_PREFIXES.stepUp, id: 'stu_' },
    };
  }

  issueTenantKey(): IssuedSecret {
    return this.issue(this.tenantPrefix, 'key_');
  }

  issueAdminKey(): IssuedSecret {
    return this.issue(KEY_PREFIXES.admin, 'adk_');
  }

  issueStepUpToken(): IssuedSecret {
    return this.issue(KEY_PREFIXES.stepUp, 'stu_');
  }

  /** The hash and id of a presented secret, or undefined when its shape is wrong. */
  recognise(secret: string, kind: SecretKind): { id: string; hash: string } | undefined {
    const hash = this.hashIfWellFormed(secret, kind);

    return hash === undefined ? undefined : { id: this.idOf(hash, kind), hash };
  }

  /**
   * The hash of a presented secret, or undefined when its shape is wrong (checked first, so a
   * malformed key costs no hashing). The hot path's only hash: a cache keyed by this hash
   * answers most requests, and the record id is derived (`idOf`) only when the cache misses.
   */
  hashIfWellFormed(secret: string, kind: SecretKind): string | undefined {
    return SecretKeyCodec.isWellFormed(secret, this.prefixes[kind].secret)
      ? this.hasher.hash(secret)
      : undefined;
  }

  /**
   * A fingerprint of a well-formed secret (unkeyed SHA-256), or undefined when its shape is
   * wrong. It names a verified secret in memory only and is never stored: the keyed HMAC, about
   * six times its cost, is computed only when that in-memory lookup misses.
   */
  fingerprintIfWellFormed(secret: string, kind: SecretKind): string | undefined {
    return SecretKeyCodec.isWellFormed(secret, this.prefixes[kind].secret)
      ? digest('sha256', secret, 'base64')
      : undefined;
  }

  /** The stored form of a secret already known to be well formed. */
  hashOf(secret: string): string {
    return this.hasher.hash(secret);
  }

  /** The record id of a secret of this kind, from its hash. */
  idOf(hash: string, kind: SecretKind): string {
    return this.hasher.deriveId(this.prefixes[kind].id, hash);
  }

  hashMatches(storedHex: string, presentedHex: string): boolean {
    return this.hasher.matches(storedHex, presentedHex);
  }

  private issue(prefix: string, idPrefix: string): IssuedSecret {
    const secret = SecretKeyCodec.generate(prefix);
    const hash = this.hasher.hash(secret);

    return {
      id: this.hasher.deriveId(idPrefix, hash),
      secret,
      hash,
      displayPrefix: SecretKeyCodec.displayPrefix(secret, prefix),
    };
  }
}
