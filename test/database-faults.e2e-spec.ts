import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretKeyCodec, tenantKeyPrefix } from '@app/auth';
import { EmbeddedDynamo, isDatabaseUnavailableError } from '@app/dynamo';
import { freePort } from './support/database-server';
import { startTestApp, TestApp } from './support/test-app';

/** Where the SDK's default chain looks for credentials; emptied for a process with none. */
const CREDENTIAL_SOURCES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
];

async function eventually(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

describe(isDatabaseUnavailableError.name, () => {
  let database: EmbeddedDynamo;
  let testApp: TestApp;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'dcs-faults-'));

  beforeAll(async () => {
    port = await freePort();
    database = await EmbeddedDynamo.start(dataDir, port);
    testApp = await startTestApp({
      DYNAMODB_ENDPOINT: database.endpoint,
      DYNAMODB_REQUEST_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await testApp.close();
    await database.stop();
  });

  it('should answer 503 while the database is down and recover by itself', async () => {
    await testApp.http.get('/health/ready').expect(200);

    await database.stop();
    const down = await testApp.http.get('/health/ready').expect(503);
    expect(down.body.code).toBe('service_unavailable');
    expect(down.headers['retry-after']).toBeDefined();
    await testApp.http.get('/health/live').expect(200);

    database = await EmbeddedDynamo.start(dataDir, port);
    await eventually(async () => (await testApp.http.get('/health/ready')).status === 200);
  });

  it('should refuse a second embedded database on a data directory in use, naming it', async () => {
    await expect(EmbeddedDynamo.start(dataDir)).rejects.toThrow(
      new RegExp(`${dataDir}.*in use by another`),
    );
    await testApp.http.get('/health/ready').expect(200);
  });
});

describe('A remote DynamoDB endpoint without AWS credentials', () => {
  let testApp: TestApp;
  const saved = new Map(CREDENTIAL_SOURCES.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dcs-no-aws-'));
    for (const name of CREDENTIAL_SOURCES) {
      delete process.env[name];
    }
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(empty, 'credentials');
    process.env.AWS_CONFIG_FILE = join(empty, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    // Not loopback, so the SDK's default credential chain is used; it finds nothing.
    testApp = await startTestApp({
      DYNAMODB_ENDPOINT: 'http://dynamodb.invalid:8000',
      DYNAMODB_CREATE_TABLES: 'false',
    });
  });

  afterAll(async () => {
    await testApp.close();
    for (const [name, value] of saved) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  });

  it('should answer 503 database_unavailable, not 500, and log the cause once', async () => {
    const key = SecretKeyCodec.generate(tenantKeyPrefix(testApp.config.stage));

    const first = await testApp.http.get('/v1/api-keys').set('X-API-Key', key);
    const second = await testApp.http.get('/v1/api-keys').set('X-API-Key', key);
    const reports = testApp
      .logs()
      .map((raw) => JSON.parse(raw) as Record<string, unknown>)
      .filter(
        (entry) =>
          entry.fault === 'credentials' && entry.tablePrefix === testApp.config.tablePrefix,
      );

    for (const response of [first, second]) {
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('database_unavailable');
      expect(response.headers['retry-after']).toBeDefined();
    }
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual(
      expect.objectContaining({
        level: 'error',
        endpoint: 'http://dynamodb.invalid:8000',
        msg: expect.stringContaining('AWS credentials'),
      }),
    );
  });
});
