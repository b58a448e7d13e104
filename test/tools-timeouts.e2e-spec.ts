import { InvocationRecorder, InvocationRepository } from '@app/tools';
import { SolverPool } from '@app/tools/solver/solver-pool.service';
import {
  createApiKey,
  createTenant,
  createTenantWithKey,
  TenantWithKey,
} from './support/identity-fixtures';
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

  const hardSolve = (key: string, timeoutMs: number) =>
    timed(() =>
      testApp.http
        .post('/v1/tools/solve_optimization/invoke')
        .set('X-API-Key', key)
        .send({ input: { lp: marketSplit(5) }, timeoutMs }),
    );

  /** A tenant whose own maxConcurrentJobs setting is `maxConcurrentJobs`. */
  const tenantWithLimit = async (maxConcurrentJobs: number): Promise<TenantWithKey> => {
    const tenantId = await createTenant(testApp, {
      name: `Busy tenant ${Date.now()}`,
      settings: { maxConcurrentJobs },
    });
    const { keyId, key } = await createApiKey(testApp, tenantId, ['tools:invoke']);

    return { tenantId, keyId, key };
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

  it("should hold a tenant to its maxConcurrentJobs with 429, so another tenant's solve still runs", async () => {
    const busy = await createTenantWithKey(testApp, ['tools:invoke']);
    const pool = testApp.app.get(SolverPool);
    // Two threads and a queue of four: six hard solves of one tenant used to fill the pool.
    const hard = Array.from({ length: pool.capacity }, () => hardSolve(busy.key, 2000));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const other = await testApp.http
      .post('/v1/tools/solve_optimization/invoke')
      .set('X-API-Key', otherTenant.key)
      .send({ input: small });
    const responses = await Promise.all(hard);

    expect(other.status).toBe(200);
    expect(other.body.output.objectiveValue).toBe(36);
    // The default setting is 4: two of the six are refused at once, the rest run to the timeout.
    const refused = responses.filter((response) => response.value.status === 429);
    expect(refused).toHaveLength(pool.capacity - 4);
    for (const response of refused) {
      expect(response.value.headers['retry-after']).toBeDefined();
      expect(response.value.body).toMatchObject({
        code: 'concurrency_limit',
        status: 429,
        limit: 4,
        invocationId: expect.stringMatching(/^inv_/),
      });
      expect(response.ms).toBeLessThan(1500);
    }
    expect(responses.filter((response) => response.value.status === 504)).toHaveLength(4);
  });

  it('should leave a place for another tenant even when one tenant may run more than the pool holds', async () => {
    const greedy = await tenantWithLimit(50);
    const pool = testApp.app.get(SolverPool);
    const hard = Array.from({ length: pool.capacity }, () => hardSolve(greedy.key, 2000));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const other = await testApp.http
      .post('/v1/tools/solve_optimization/invoke')
      .set('X-API-Key', otherTenant.key)
      .send({ input: small });
    const responses = await Promise.all(hard);

    expect(other.status).toBe(200);
    const refused = responses.filter((response) => response.value.status === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0].value.body).toMatchObject({
      code: 'concurrency_limit',
      limit: pool.capacity - 1,
    });
    expect(responses.filter((response) => response.value.status === 504)).toHaveLength(
      pool.capacity - 1,
    );
  });

  it('should answer 503 with Retry-After once the solver queue is full, and record each call once', async () => {
    // Only several tenants together can fill the pool: one may take all but one place.
    const first = await tenantWithLimit(50);
    const second = await createTenantWithKey(testApp, ['tools:invoke']);
    const pool = testApp.app.get(SolverPool);
    // Two threads and a queue of four: two of eight concurrent long solves find no room.
    const responses = await Promise.all([
      ...Array.from({ length: pool.capacity - 1 }, () => hardSolve(first.key, 3000)),
      ...Array.from({ length: 3 }, () => hardSolve(second.key, 3000)),
    ]);
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
    const repository = testApp.app.get(InvocationRepository);
    const records = [
      ...(await repository.listByTenant(first.tenantId, 20)),
      ...(await repository.listByTenant(second.tenantId, 20)),
    ];
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
