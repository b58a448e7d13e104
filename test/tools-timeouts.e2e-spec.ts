import { InvocationRecorder, InvocationRepository } from '@app/tools';
import { SolverPool } from '@app/tools/solver/solver-pool.service';
import { createTenantWithKey, TenantWithKey } from './support/identity-fixtures';
import { marketSplit, wyndor as small } from './support/optimization-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const LONG_TIMEOUT_MS = 4000;
const PROMPT_MS = 1500;

describe(`${SolverPool.name} under a long solve`, () => {
  let testApp: TestApp;
  let slowTenant: TenantWithKey;
  let otherTenant: TenantWithKey;

  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = Date.now();
    const value = await work();

    return { value, ms: Date.now() - started };
  };

  beforeAll(async () => {
    testApp = await startTestApp({ TOOLS_MIN_THREADS: '2', TOOLS_MAX_THREADS: '2' });
    slowTenant = await createTenantWithKey(testApp, ['tools:invoke']);
    otherTenant = await createTenantWithKey(testApp, ['tools:invoke']);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should keep answering health and other tenants while a solve runs, then stop it with 504', async () => {
    const pool = testApp.app.get(SolverPool);
    const long = timed(() =>
      testApp.http
        .post('/v1/tools/solve_optimization/invoke')
        .set('X-API-Key', slowTenant.key)
        .send({ input: { lp: marketSplit(5) }, timeoutMs: LONG_TIMEOUT_MS }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const threadsDuringSolve = pool.threadIds();

    const live = await timed(() => testApp.http.get('/health/live'));

    const other = await timed(() =>
      testApp.http
        .post('/v1/tools/solve_optimization/invoke')
        .set('X-API-Key', otherTenant.key)
        .send({ input: small }),
    );

    expect(live.value.status).toBe(200);
    expect(live.ms).toBeLessThan(PROMPT_MS);
    expect(other.value.status).toBe(200);
    expect(other.value.body.output.objectiveValue).toBe(36);
    expect(other.ms).toBeLessThan(PROMPT_MS);

    const timedOut = await long;
    expect(timedOut.value.status).toBe(504);
    expect(timedOut.value.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(timedOut.value.body).toMatchObject({
      code: 'tool_timeout',
      status: 504,
      timeoutMs: LONG_TIMEOUT_MS,
      invocationId: expect.stringMatching(/^inv_/),
    });
    expect(timedOut.ms).toBeGreaterThanOrEqual(LONG_TIMEOUT_MS - 100);
    expect(timedOut.ms).toBeLessThan(LONG_TIMEOUT_MS + 3000);

    // The worker that ran the solve was terminated and replaced, not left spinning.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const threadsAfter = pool.threadIds();
    expect(threadsDuringSolve.filter((id) => !threadsAfter.includes(id))).toHaveLength(1);
  });

  it('should keep serving solves after a timeout, on every thread', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        testApp.http
          .post('/v1/tools/solve_optimization/invoke')
          .set('X-API-Key', slowTenant.key)
          .send({ input: small }),
      ),
    );

    expect(results.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    for (const response of results) {
      expect(response.body.output.objectiveValue).toBe(36);
    }
  });

  it('should answer 503 with Retry-After once the solver queue is full, and record each call once', async () => {
    const crowd = await createTenantWithKey(testApp, ['tools:invoke']);
    const pool = testApp.app.get(SolverPool);
    // Two threads and a queue of four: two of eight concurrent long solves find no room.
    const responses = await Promise.all(
      Array.from({ length: pool.capacity + 2 }, () =>
        timed(() =>
          testApp.http
            .post('/v1/tools/solve_optimization/invoke')
            .set('X-API-Key', crowd.key)
            .send({ input: { lp: marketSplit(5) }, timeoutMs: 3000 }),
        ),
      ),
    );
    const refused = responses.filter((response) => response.value.status === 503);

    expect(refused).toHaveLength(2);
    for (const response of refused) {
      expect(response.value.headers['retry-after']).toBeDefined();
      expect(response.value.body.code).toBe('service_unavailable');
      expect(response.ms).toBeLessThan(2500);
    }
    expect(responses.filter((response) => response.value.status === 504)).toHaveLength(
      pool.capacity,
    );

    await testApp.app.get(InvocationRecorder).flush();
    const records = await testApp.app.get(InvocationRepository).listByTenant(crowd.tenantId, 20);
    expect(records).toHaveLength(pool.capacity + 2);
    expect(records.filter((record) => record.errorCode === 'tool_timeout')).toHaveLength(
      pool.capacity,
    );
    expect(records.filter((record) => record.errorCode === 'service_unavailable')).toHaveLength(2);
  });

  it('should time out a multi-solve tool too, stopping its current solve', async () => {
    const response = await testApp.http
      .post('/v1/tools/simulate_scenarios/invoke')
      .set('X-API-Key', slowTenant.key)
      .send({
        timeoutMs: 1000,
        input: {
          model: small,
          scenarios: [{ name: 'only', changes: [{ kind: 'rhs', target: 'plant 3', value: 24 }] }],
        },
      })
      .expect(200);
    const hard = await testApp.http
      .post('/v1/tools/solve_optimization/invoke')
      .set('X-API-Key', slowTenant.key)
      .send({ input: { lp: marketSplit(4), options: { timeLimitSeconds: 0.5 } } })
      .expect(200);

    expect(response.body.output.scenarios[0].objectiveValue).toBe(42);
    // HiGHS' own limit answers 200 with the best plan found, unlike the hard timeout.
    expect(hard.body.output.status).toBe('time_limit');
  });
});
