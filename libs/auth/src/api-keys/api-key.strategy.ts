import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { CredentialRejection } from '../access/credential-rejection.error';
import { ApiKeyVerifier, KeyUsage, VerifiedApiKey } from './api-key.verifier';

export const API_KEY_STRATEGY = 'api-key';

/** The part of a request the strategy reads: its headers, never the query string or the body. */
export interface HeaderCarrier {
  headers: Record<string, string | string[] | undefined>;
}

/** Reads the key from the X-API-Key header only: never from the query string or the body. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, API_KEY_STRATEGY) {
  constructor(@Inject(ApiKeyVerifier) private readonly verifier: ApiKeyVerifier) {
    super({ header: 'X-API-Key', prefix: '' }, false);
  }

  /** Passport's entry point (`passport.authenticate(API_KEY_STRATEGY)`); errors reject. */
  async validate(apiKey: string): Promise<VerifiedApiKey> {
    return this.verifier.verify(apiKey);
  }

  /**
   * The access guard's entry point: reads the key as HeaderAPIKeyStrategy.authenticate does
   * (the header it was configured with, which it lowercases, and its prefix, here none) and
   * verifies it. Synchronous when the key is cached (see ApiKeyVerifier.verify); a missing
   * header is a CredentialRejection('missing'), a non-string one (an array) 'malformed'.
   */
  authenticateRequest(request: HeaderCarrier): VerifiedApiKey | Promise<VerifiedApiKey> {
    const { header, prefix } = this.apiKeyHeader;
    const value = request.headers[header];
    if (value === undefined || value === '') {
      throw new CredentialRejection('missing');
    }
    if (typeof value !== 'string' || !value.startsWith(prefix)) {
      throw new CredentialRejection('malformed');
    }

    return this.verifier.verify(prefix === '' ? value : value.slice(prefix.length));
  }

  /** The request was admitted: the key's last use may be recorded. */
  recordUse(usage: KeyUsage): void {
    this.verifier.recordUse(usage);
  }
}
