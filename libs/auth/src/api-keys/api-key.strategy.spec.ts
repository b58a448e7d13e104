import passport from 'passport';
import { CredentialRejection } from '../access/credential-rejection.error';
import { API_KEY_STRATEGY, ApiKeyStrategy, HeaderCarrier } from './api-key.strategy';
import { ApiKeyVerifier, VerifiedApiKey } from './api-key.verifier';

type Outcome = { verified: string } | { refused: string };

/** What passport itself makes of a request with the registered strategy. */
function throughPassport(request: HeaderCarrier): Promise<Outcome> {
  return new Promise((resolve) => {
    passport.authenticate(
      API_KEY_STRATEGY,
      { session: false },
      (error: unknown, user: VerifiedApiKey | false) => {
        if (error instanceof CredentialRejection) {
          resolve({ refused: error.reason });
        } else if (user) {
          resolve({ verified: user.principal.keyId });
        } else {
          resolve({ refused: 'missing' });
        }
      },
    )(request, {}, () => undefined);
  });
}

async function directly(strategy: ApiKeyStrategy, request: HeaderCarrier): Promise<Outcome> {
  try {
    return { verified: (await strategy.authenticateRequest(request)).principal.keyId };
  } catch (error) {
    return { refused: (error as CredentialRejection).reason };
  }
}

describe(ApiKeyStrategy.name, () => {
  const verify = jest.fn((key: string): VerifiedApiKey => {
    if (key !== 'good-key') {
      throw new CredentialRejection('malformed');
    }

    return {
      principal: { kind: 'tenant', method: 'api_key', tenantId: 't', keyId: key, scopes: [] },
      usage: { keyId: key, touchDueAt: 0 },
    };
  });
  const strategy = new ApiKeyStrategy({ verify } as unknown as ApiKeyVerifier);

  it.each<[string, HeaderCarrier['headers']]>([
    ['a valid key', { 'x-api-key': 'good-key' }],
    ['another key', { 'x-api-key': 'other-key' }],
    ['no header', {}],
    ['an empty header', { 'x-api-key': '' }],
    ['the key in another header', { authorization: 'good-key', 'x-admin-key': 'good-key' }],
  ])('should read %s exactly as passport does through the strategy', async (_case, headers) => {
    const request = { headers };

    expect(await directly(strategy, request)).toEqual(await throughPassport({ headers }));
  });

  it('should refuse a repeated header (an array) as malformed, without verifying it', async () => {
    verify.mockClear();

    expect(
      await directly(strategy, { headers: { 'x-api-key': ['good-key', 'good-key'] } }),
    ).toEqual({ refused: 'malformed' });
    expect(verify).not.toHaveBeenCalled();
  });

  it('should answer synchronously when the verifier does', () => {
    const answer = strategy.authenticateRequest({ headers: { 'x-api-key': 'good-key' } });

    expect(answer).not.toBeInstanceOf(Promise);
  });

  it('should never read the query string or the body', async () => {
    const request = { headers: {}, query: { apiKey: 'good-key' }, body: { apiKey: 'good-key' } };

    expect(await directly(strategy, request)).toEqual({ refused: 'missing' });
  });
});
