import { ConfigValidationError } from './config-validation.error';
import { loadConfig } from './config.schema';

describe(loadConfig.name, () => {
  it('should apply defaults on an empty environment', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3000);
    expect(config.stage).toBe('dev');
    expect(config.tablePrefix).toBe('dcisionai-dev-');
    expect(config.dataDir).toBe('.data');
    expect(config.dynamodbEndpoint).toBeUndefined();
    expect(config.docsEnabled).toBe(true);
    expect(config.corsOrigins).toEqual([]);
    expect(config.bodyLimit).toBe(1024 * 1024);
  });

  it('should derive the table prefix from the stage and close docs in prod', () => {
    const config = loadConfig({ STAGE: 'prod', API_KEY_PEPPER: 'p'.repeat(32) });

    expect(config.tablePrefix).toBe('dcisionai-prod-');
    expect(config.docsEnabled).toBe(false);
  });

  it('should report every invalid variable in one error', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        STAGE: 'qa',
        LOG_LEVEL: 'loud',
        CORS_ORIGINS: 'https://ok.example.com,*,null',
        BODY_LIMIT: '5gb',
        DOCS_ENABLED: 'maybe',
        DYNAMODB_ENDPOINT: 'ftp://db',
      });

    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigValidationError).problems;
      // With an endpoint the database may be shared, so the missing pepper is a problem too.
      expect(problems).toHaveLength(9);
      for (const name of [
        'PORT',
        'STAGE',
        'LOG_LEVEL',
        'BODY_LIMIT',
        'DOCS_ENABLED',
        'API_KEY_PEPPER',
      ]) {
        expect(problems.join('\n')).toContain(name);
      }
    }
  });

  it('should keep the LP text limit below the body limit, so a model limit answers first', () => {
    expect(loadConfig({}).toolsMaxLpLength).toBeLessThan(loadConfig({}).bodyLimit);
    expect(() => loadConfig({ BODY_LIMIT: '512kb' })).toThrow(
      /TOOLS_MAX_LP_LENGTH \(786432\) must be below BODY_LIMIT \(524288 bytes\)/,
    );
    expect(loadConfig({ BODY_LIMIT: '512kb', TOOLS_MAX_LP_LENGTH: '400000' }).bodyLimit).toBe(
      512 * 1024,
    );
  });

  it('should accept the region DynamoDB Local users write and refuse drains under a second', () => {
    expect(loadConfig({ DYNAMODB_REGION: 'local' }).dynamodbRegion).toBe('local');
    expect(() => loadConfig({ DYNAMODB_REGION: 'moon' })).toThrow(/DYNAMODB_REGION/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '0' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  it('should require a pepper of at least 32 characters in prod', () => {
    expect(() => loadConfig({ STAGE: 'prod' })).toThrow(/API_KEY_PEPPER is required/);
    expect(() => loadConfig({ API_KEY_PEPPER: 'short' })).toThrow(/at least 32 characters/);
  });

  it('should require a pepper with an external database and on Lambda, not on the embedded one', () => {
    const pepper = 'p'.repeat(32);

    expect(() => loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toThrow(
      /API_KEY_PEPPER is required when DYNAMODB_ENDPOINT is set/,
    );
    expect(() => loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'api' })).toThrow(
      /API_KEY_PEPPER is required when running on AWS Lambda/,
    );
    expect(
      loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', API_KEY_PEPPER: pepper })
        .apiKeyPepper,
    ).toBe(pepper);
    expect(
      loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'api', API_KEY_PEPPER: pepper }).apiKeyPepper,
    ).toBe(pepper);
    expect(loadConfig({ STAGE: 'staging' }).apiKeyPepper).toBeUndefined();
  });

  it('should name every reason a pepper is required in one problem', () => {
    const attempt = () =>
      loadConfig({
        STAGE: 'prod',
        DYNAMODB_ENDPOINT: 'http://db:8000',
        AWS_LAMBDA_FUNCTION_NAME: 'api',
      });

    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigValidationError).problems).toEqual([
        expect.stringMatching(
          /^API_KEY_PEPPER is required when STAGE=prod, DYNAMODB_ENDPOINT is set, running on AWS Lambda/,
        ),
      ]);
    }
  });

  it('should trust no proxy by default, or the nearest hops, or the listed proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' 2 ' }).trustProxy).toBe(2);
    expect(
      loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,2001:db8::/32 , ::1' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1']);
  });

  it('should refuse TRUST_PROXY=true, saying to give the hop count or the proxies', () => {
    for (const value of ['true', 'TRUE']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(
        /TRUST_PROXY=true would trust every hop.*number of proxies.*CIDR ranges/,
      );
    }
  });

  it('should refuse hop counts out of range and entries that are not addresses or ranges', () => {
    const attempt = () =>
      loadConfig({
        TRUST_PROXY: '10.0.0.0/8,proxy.internal,10.0.0.0/33,0.0.0.0/0,::/0,fe80::1%eth0',
      });

    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigValidationError).problems;
      expect(problems).toHaveLength(5);
      for (const entry of ['proxy.internal', '10.0.0.0/33', '0.0.0.0/0', '::/0', 'fe80::1%eth0']) {
        expect(problems.join('\n')).toContain(`"${entry}"`);
      }
    }
    expect(() => loadConfig({ TRUST_PROXY: '11' })).toThrow(
      /TRUST_PROXY must be a number of proxy hops from 1 to 10/,
    );
    expect(() => loadConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY must be false/);
    expect(() => loadConfig({ TRUST_PROXY: ' , ' })).toThrow(/TRUST_PROXY lists no proxy/);
  });

  it('should buffer log lines for 100 ms, but write each at once on Lambda', () => {
    const pepper = 'p'.repeat(32);

    expect(loadConfig({}).logFlushMs).toBe(100);
    expect(loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'api', API_KEY_PEPPER: pepper }).logFlushMs).toBe(
      0,
    );
    expect(loadConfig({ LOG_FLUSH_MS: '0' }).logFlushMs).toBe(0);
    expect(() => loadConfig({ LOG_FLUSH_MS: '60000' })).toThrow(/LOG_FLUSH_MS/);
  });

  it('should parse sizes, booleans and origin lists', () => {
    const config = loadConfig({
      BODY_LIMIT: '2mb',
      DYNAMODB_CREATE_TABLES: 'TRUE',
      CORS_ORIGINS: 'https://app.dcisionai.com, http://localhost:5173',
    });

    expect(config.bodyLimit).toBe(2 * 1024 * 1024);
    expect(config.dynamodbCreateTables).toBe(true);
    expect(config.corsOrigins).toEqual(['https://app.dcisionai.com', 'http://localhost:5173']);
  });

  it('should refuse origins with paths or wildcards', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.dcisionai.com/path' })).toThrow(
      /exact origins/,
    );
    expect(() => loadConfig({ CORS_ORIGINS: 'https://*.dcisionai.com' })).toThrow(/exact origins/);
  });

  it('should refuse a port of 0 and a host that is not an address or host name', () => {
    expect(() => loadConfig({ PORT: '0' })).toThrow(/PORT must be an integer from 1/);
    expect(() => loadConfig({ HOST: 'http://0.0.0.0' })).toThrow(/HOST/);
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'api.internal' }).host).toBe('api.internal');
  });
});
