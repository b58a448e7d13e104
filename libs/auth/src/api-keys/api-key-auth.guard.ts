import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { CredentialRejection } from '../access/credential-rejection';
import { API_KEY_STRATEGY } from './api-key.strategy';
import { VerifiedApiKey } from './api-key.verifier';

/**
 * Runs the passport strategy for the access guard. Failures come out as the verifier raised
 * them, so the access guard alone decides what the client and the log see.
 */
@Injectable()
export class ApiKeyAuthGuard extends AuthGuard(API_KEY_STRATEGY) {
  override handleRequest<TUser = VerifiedApiKey>(
    error: unknown,
    user: TUser | false,
    _info: unknown,
    _context: ExecutionContext,
  ): TUser {
    if (error) {
      throw error instanceof Error
        ? error
        : new Error('Passport strategy failed', { cause: error });
    }
    if (!user) {
      // The strategy fails without an error only when the header is absent.
      throw new CredentialRejection('missing');
    }

    return user;
  }
}
