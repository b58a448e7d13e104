import { isConditionalCheckFailed, isDatabaseUnavailableError } from './database-errors.util';

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
