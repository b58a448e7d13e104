import { ALL_TABLES, DynamoConnection } from '@app/dynamo';
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

  describe('with an endpoint and DYNAMODB_CREATE_TABLES=false', () => {
    let uncreated: TestApp;

    beforeAll(async () => {
      uncreated = await startTestApp({ DYNAMODB_CREATE_TABLES: 'false' });
    });

    afterAll(async () => {
      await uncreated.close();
    });

    it('should create no table', async () => {
      const { TableNames = [] } = await uncreated.app.get(DynamoConnection).client.listTables({});

      expect(TableNames.filter((name) => name.startsWith(uncreated.config.tablePrefix))).toEqual(
        [],
      );
    });

    it('should answer not ready, naming every missing table', async () => {
      const response = await uncreated.http.get('/health/ready').expect(503);

      expect(response.body.code).toBe('service_unavailable');
      expect(response.body.checks.dynamodb.tables).toEqual(
        Object.fromEntries(ALL_TABLES.map((table) => [table.name, 'down'])),
      );
    });

    it('should log the missing tables once, as an error that says what to change', async () => {
      await uncreated.http.get('/health/ready').expect(503);
      await uncreated.http.get('/health/ready').expect(503);

      const reports = uncreated
        .logs()
        .map((raw) => JSON.parse(raw) as Record<string, unknown>)
        .filter(
          (entry) =>
            entry.fault === 'missing_table' && entry.tablePrefix === uncreated.config.tablePrefix,
        );
      expect(reports).toHaveLength(1);
      expect(reports[0]).toEqual(
        expect.objectContaining({
          level: 'error',
          msg: expect.stringContaining('DYNAMODB_CREATE_TABLES=true'),
        }),
      );
    });
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
