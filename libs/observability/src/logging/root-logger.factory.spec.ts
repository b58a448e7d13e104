import { createServiceLoggers } from './root-logger.factory';

function captureLogger() {
  const lines: string[] = [];
  const { logger } = createServiceLoggers(
    { logLevel: 'info', stage: 'dev' },
    { destination: { write: (line: string) => void lines.push(line) } },
  );

  return { logger, output: () => lines.join('') };
}

describe(createServiceLoggers.name, () => {
  it('should redact credential headers carried by a logged error', () => {
    const { logger, output } = captureLogger();
    const error = Object.assign(new Error('upstream refused'), {
      headers: { 'x-api-key': 'SECRET-ONE', authorization: 'Bearer SECRET-TWO' },
      request: { headers: { 'x-admin-key': 'SECRET-THREE', cookie: 'sid=SECRET-FOUR' } },
    });

    logger.error({ err: error }, 'failed');

    expect(output()).not.toMatch(/SECRET/);
    expect(output()).toContain('upstream refused');
  });

  it('should redact secret fields at any depth, including the top level', () => {
    const { logger, output } = captureLogger();

    logger.info({ key: 'SECRET-TOP', token: 'SECRET-TOKEN' }, 'top');
    logger.info({
      body: { input: { apiKey: 'SECRET-DEEP', nested: [{ password: 'SECRET-ARR' }] } },
    });
    logger.error(
      { err: new Error('wrapped', { cause: { headers: { 'x-admin-step-up': 'SECRET-CAUSE' } } }) },
      'cause',
    );

    expect(output()).not.toMatch(/SECRET/);
    expect(output()).toContain('[REDACTED]');
  });

  it('should keep ordinary fields and survive circular objects', () => {
    const { logger, output } = captureLogger();
    const circular: Record<string, unknown> = { keyId: 'key_123', tenantId: 'tenant_1' };
    circular.self = circular;

    logger.info({ context: circular }, 'circular');

    expect(output()).toContain('"keyId":"key_123"');
    expect(output()).toContain('"tenantId":"tenant_1"');
  });
});
