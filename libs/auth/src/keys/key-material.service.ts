import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { KeyHasher } from './key-hasher.service';
import { KEY_PREFIXES, tenantKeyPrefix } from './key-prefixes';
import { PepperLoader } from './pepper.loader';
import { SecretBox } from './secret-box';
import { SecretKeyCodec } from './secret-key.codec';

/** The issued secret, its stored hash and the record id derived from that hash. */
export interface IssuedSecret {
  id: string;
  secret: string;
  hash: string;
  displayPrefix: string;
}

/** Issues, recognises and hashes every kind of secret, all under the one server pepper. */
@Injectable()
export class KeyMaterialService {
  readonly tenantPrefix: string;
  private readonly hasher: KeyHasher;
  readonly box: SecretBox;

  constructor(@Inject(AppConfigService) config: AppConfigService) {
    const pepper = new PepperLoader().load(config.get('apiKeyPepper'), config.get('dataDir'));
    this.hasher = new KeyHasher(pepper);
    this.box = new SecretBox(pepper);
    this.tenantPrefix = tenantKeyPrefix(config.get('stage'));
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
  recognise(
    secret: string,
    kind: 'tenant' | 'admin' | 'stepUp',
  ): { id: string; hash: string } | undefined {
    const [prefix, idPrefix] = {
      tenant: [this.tenantPrefix, 'key_'],
      admin: [KEY_PREFIXES.admin, 'adk_'],
      stepUp: [KEY_PREFIXES.stepUp, 'stu_'],
    }[kind];
    if (!SecretKeyCodec.isWellFormed(secret, prefix)) {
      return undefined;
    }

    const hash = this.hasher.hash(secret);

    return { id: this.hasher.deriveId(idPrefix, hash), hash };
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
