import { HealthController } from '@app/observability/health/health.controller';
import { startTestApp, TestApp } from './support/test-app';
import { freePort } from './support/database-server';

describe(HealthController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should answer liveness without a credential', async () => {
    const response = await testApp.http.get('/health/live').expect(200);

    expect(response.body).toEqual({ status: 'ok' });
  });

  it('should report DynamoDB and every table as up when ready', async () => {
    const response = await testApp.http.get('/health/ready').expect(200);

    expect(response.body.status).toBe('ok');
    expect(response.body.details.dynamodb.status).toBe('up');
    expect(Object.values(response.body.details.dynamodb.tables)).not.toContain('down');
  });

  it('should not write access log lines for probes', async () => {
    await testApp.http.get('/health/live').expect(200);

    const probeLines = testApp.logs().filter((line) => line.includes('"path":"/health/'));
    expect(probeLines).toEqual([]);
  });

  describe('with the database unreachable', () => {
    let unreachable: TestApp;

    beforeAll(async () => {
      const closedPort = await freePort();
      unreachable = await startTestApp({
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${closedPort}`,
        DYNAMODB_CREATE_TABLES: 'false',
      });
    });

    afterAll(async () => {
      await unreachable.close();
    });

    it('should stay live', async () => {
      await unreachable.http.get('/health/live').expect(200);
    });

    it('should answer not ready with per-dependency details within 3 seconds', async () => {
      const started = Date.now();
      const response = await unreachable.http.get('/health/ready').expect(503);

      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe('service_unavailable');
      expect(response.body.checks.dynamodb.status).toBe('down');
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    });

    it('should not log a failed readiness probe as an unexpected error', async () => {
      const response = await unreachable.http.get('/health/ready').expect(503);

      const lines = unreachable
        .logs()
        .map((raw) => JSON.parse(raw) as Record<string, unknown>)
        .filter((entry) => entry.requestId === response.body.requestId);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.map((entry) => entry.level)).not.toContain('error');
    });
  });
});
