import { createServiceLoggers } from './root-logger.factory';

function captureLogger() {
  const lines: string[] = [];
  const { logger } = createServiceLoggers(
    { logLevel: 'info', stage: 'dev', logFlushMs: 0 },
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

  it('should redact fields whose names contain a credential word, whatever their case', () => {
    const { logger, output } = captureLogger();

    logger.info({
      clientSecret: 'SECRET-1',
      secretAccessKey: 'SECRET-2',
      sessionToken: 'SECRET-3',
      newPassword: 'SECRET-4',
      PRIVATE_KEY: 'SECRET-5',
      credentials: { user: 'SECRET-6' },
      'Proxy-Authorization': 'SECRET-7',
      otpauthUrl: 'SECRET-8',
      X_Api_Key: 'SECRET-9',
      stepUpId: 'stu_kept',
      keyId: 'key_kept',
      adminKeyId: 'adk_kept',
    });

    expect(output()).not.toMatch(/SECRET/);
    for (const kept of ['"stepUpId":"stu_kept"', '"keyId":"key_kept"', '"adminKeyId":"adk_kept"']) {
      expect(output()).toContain(kept);
    }
  });

  it('should write access lines as JSON in the shape of every other line', () => {
    const lines: string[] = [];
    const { logger, accessLog } = createServiceLoggers(
      { logLevel: 'info', stage: 'prod', logFlushMs: 0 },
      { destination: { write: (line: string) => void lines.push(line) }, version: '1.2.3' },
    );

    logger.info({ tenantId: 't' }, 'other');
    accessLog.write({
      requestId: 'req-1',
      method: 'GET',
      path: '/v1/tools/"odd"\\name',
      route: undefined,
      status: 200,
      durationMs: 1.25,
      tenantId: 'ten_1',
      keyId: undefined,
    });

    const [other, access] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[1].endsWith('\n')).toBe(true);
    expect(Object.keys(access).slice(0, 5)).toEqual(Object.keys(other).slice(0, 5));
    expect(access).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      service: 'dcisionai-api',
      stage: 'prod',
      version: '1.2.3',
      context: 'AccessLog',
      requestId: 'req-1',
      method: 'GET',
      path: '/v1/tools/"odd"\\name',
      status: 200,
      durationMs: 1.25,
      tenantId: 'ten_1',
      msg: 'request completed',
    });
  });

  it('should write no access line when the level is above info', () => {
    const lines: string[] = [];
    const { accessLog } = createServiceLoggers(
      { logLevel: 'warn', stage: 'prod', logFlushMs: 0 },
      { destination: { write: (line: string) => void lines.push(line) } },
    );

    expect(accessLog.enabled).toBe(false);
  });
});
