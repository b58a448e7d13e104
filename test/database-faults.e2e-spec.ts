import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDynamo, isDatabaseUnavailableError } from '@app/dynamo';
import { freePort } from './support/database-server';
import { startTestApp, TestApp } from './support/test-app';

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
