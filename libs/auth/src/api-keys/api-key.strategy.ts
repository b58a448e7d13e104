import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { ApiKeyVerifier, VerifiedApiKey } from './api-key.verifier';

export const API_KEY_STRATEGY = 'api-key';

/** Reads the key from the X-API-Key header only: never from the query string or the body. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, API_KEY_STRATEGY) {
  constructor(@Inject(ApiKeyVerifier) private readonly verifier: ApiKeyVerifier) {
    super({ header: 'X-API-Key', prefix: '' }, false);
  }

  validate(apiKey: string): Promise<VerifiedApiKey> {
    return this.verifier.verify(apiKey);
  }
}
