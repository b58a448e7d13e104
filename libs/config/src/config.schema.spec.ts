import { ConfigValidationError, loadConfig } from './config.schema';

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
      expect(problems).toHaveLength(8);
      for (const name of ['PORT', 'STAGE', 'LOG_LEVEL', 'BODY_LIMIT', 'DOCS_ENABLED']) {
        expect(problems.join('\n')).toContain(name);
      }
    }
  });

  it('should require a pepper of at least 32 characters in prod', () => {
    expect(() => loadConfig({ STAGE: 'prod' })).toThrow(/API_KEY_PEPPER is required/);
    expect(() => loadConfig({ API_KEY_PEPPER: 'short' })).toThrow(/at least 32 characters/);
  });

  it('should parse sizes, booleans and origin lists', () => {
    const config = loadConfig({
      BODY_LIMIT: '512kb',
      DYNAMODB_CREATE_TABLES: 'TRUE',
      CORS_ORIGINS: 'https://app.dcisionai.com, http://localhost:5173',
    });

    expect(config.bodyLimit).toBe(512 * 1024);
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
