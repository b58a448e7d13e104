import {
  classifyDatabaseFault,
  isConditionalCheckFailed,
  isConfigurationFault,
  isDatabaseUnavailableError,
} from './database-errors.util';

describe(isDatabaseUnavailableError.name, () => {
  it('should classify network, timeout, throttling and server faults as unavailable', () => {
    const faults = [
      Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('slow'), { name: 'TimeoutError' }),
      Object.assign(new Error('busy'), { name: 'ProvisionedThroughputExceededException' }),
      Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 500 } }),
      new Error('wrapped', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }),
    ];

    for (const fault of faults) {
      expect(isDatabaseUnavailableError(fault)).toBe(true);
    }
  });

  it('should not classify refused requests or programming errors as unavailable', () => {
    const refusals = [
      Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }),
      Object.assign(new Error('bad'), { name: 'ValidationException' }),
      new TypeError('undefined is not a function'),
      'a string',
      null,
    ];

    for (const refusal of refusals) {
      expect(isDatabaseUnavailableError(refusal)).toBe(false);
    }
  });
});

describe(classifyDatabaseFault.name, () => {
  it('should classify a missing or refused credential as a credentials fault', () => {
    // What the SDK's default chain throws for a non-loopback endpoint with no AWS credentials.
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });
    const refused = ['UnrecognizedClientException', 'InvalidSignatureException'].map((name) =>
      Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } }),
    );

    for (const error of [missing, ...refused]) {
      expect(classifyDatabaseFault(error)).toBe('credentials');
      expect(isDatabaseUnavailableError(error)).toBe(true);
    }
  });

  it('should classify an endpoint that does not answer as DynamoDB as an endpoint fault', () => {
    const faults = [
      // TLS spoken to a plain HTTP port.
      Object.assign(new Error('write EPROTO wrong version number'), { code: 'EPROTO' }),
      // A port where something else speaks, not HTTP.
      Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_CONSTANT' }),
      Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      // An HTML 404 from a proxy or another service, as the SDK reports it.
      Object.assign(new SyntaxError('Unexpected token'), { $metadata: { httpStatusCode: 404 } }),
      Object.assign(new Error('UnknownError'), {
        name: 'UnknownError',
        $metadata: { httpStatusCode: 404 },
      }),
    ];

    for (const fault of faults) {
      expect(classifyDatabaseFault(fault)).toBe('endpoint');
    }
  });

  it('should tell configuration faults from passing ones', () => {
    const missingTable = Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' });
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const throttled = Object.assign(new Error('busy'), { name: 'ThrottlingException' });

    expect(classifyDatabaseFault(missingTable)).toBe('missing_table');
    expect(isConfigurationFault('missing_table')).toBe(true);
    expect(isConfigurationFault('credentials')).toBe(true);
    expect(isConfigurationFault('endpoint')).toBe(true);
    expect(classifyDatabaseFault(refused)).toBe('network');
    expect(isConfigurationFault('network')).toBe(false);
    expect(classifyDatabaseFault(throttled)).toBe('throttled');
    expect(isConfigurationFault('throttled')).toBe(false);
  });

  it('should not classify a syntax error no SDK call threw, nor names of Object members', () => {
    const inherited = Object.assign(new Error('odd'), { name: 'constructor' });

    expect(classifyDatabaseFault(new SyntaxError('Unexpected end of JSON input'))).toBeUndefined();
    expect(classifyDatabaseFault(inherited)).toBeUndefined();
  });
});

describe(isConditionalCheckFailed.name, () => {
  it('should recognise only a failed condition', () => {
    expect(
      isConditionalCheckFailed(
        Object.assign(new Error(), { name: 'ConditionalCheckFailedException' }),
      ),
    ).toBe(true);
    expect(isConditionalCheckFailed(new Error('other'))).toBe(false);
  });
});
