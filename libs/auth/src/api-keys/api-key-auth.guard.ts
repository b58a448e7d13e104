import { Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ApiKeyStrategy } from './api-key.strategy';
import { KeyUsage, VerifiedApiKey } from './api-key.verifier';

/**
 * Runs the X-API-Key passport strategy for the access guard. Failures come out as the verifier
 * raised them, so the access guard alone decides what the client and the log see.
 *
 * It calls the strategy's `authenticateRequest` directly rather than going through
 * @nestjs/passport's generic AuthGuard and `passport.authenticate`: profiled on
 * `GET /v1/tools`, that wrapper cost more than the key check itself. Per request it spread
 * three option objects, called `switchToHttp` (three closures) twice, built passport's
 * middleware (closures, a failure list, an `Object.create` of the strategy with five callbacks),
 * and added up to nine properties (`login`, `logout`, `isAuthenticated`, `_sessionManager`,
 * `authInfo`, `user`...) to the Fastify request, changing its hidden class on every request;
 * passport-headerapikey then built a RegExp for the prefix. None of it serves this service: no
 * sessions, no redirects, one strategy. The strategy is still registered with passport and still
 * the one place where the header is read and the key verified.
 */
@Injectable()
export class ApiKeyAuthGuard {
  constructor(@Inject(ApiKeyStrategy) private readonly strategy: ApiKeyStrategy) {}

  /** The verified key, synchronously when cached; throws or rejects with the refusal. */
  authenticate(request: FastifyRequest): VerifiedApiKey | Promise<VerifiedApiKey> {
    return this.strategy.authenticateRequest(request);
  }

  /** Called once the request passed the route's checks too; refused requests are no use. */
  recordUse(usage: KeyUsage): void {
    this.strategy.recordUse(usage);
  }
}
