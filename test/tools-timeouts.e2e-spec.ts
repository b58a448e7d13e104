import { InvocationRecorder, InvocationRepository } from '@app/tools';
import { SolverPool } from '@app/tools/solver/solver-pool.service';
import {
  createApiKey,
  createTenant,
  createTenantWithKey,
  TenantWithKey,
} from './support/identity-fixtures';
import { marketSplit, marketSplitModel, wyndor as small } from './support/optimization-fixtures';
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
    // Two tenants, as one tenant's solves never take every thread.
    const results = await Promise.all(
      [slowTenant, slowTenant, otherTenant, otherTenant].map((tenant) =>
        testApp.http
          .post('/v1/tools/solve_optimization/invoke')
          .set('X-API-Key', tenant.key)
          .send({ input: small }),
      ),
    );

    expect(results.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    for (const response of results) {
      expect(response.body.output.objectiveValue).toBe(36);
    }
  });

  it("should hold a tenant to its maxConcurrentJobs with 429 and answer another tenant's solve at once", async () => {
    const busy = await createTenantWithKey(testApp, ['tools:invoke']);
    const pool = testApp.app.get(SolverPool);
    // Two threads and a queue of four: six hard solves of one tenant used to fill the pool, and
    // even two of them took both threads until they timed out.
    const hard = Array.from({ length: pool.capacity }, () => hardSolve(busy.key, LONG_TIMEOUT_MS));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const other = await timed(() =>
      testApp.http
        .post('/v1/tools/solve_optimization/invoke')
        .set('X-API-Key', otherTenant.key)
        .send({ input: small }),
    );
    const responses = await Promise.all(hard);

    expect(other.value.status).toBe(200);
    expect(other.value.body.output.objectiveValue).toBe(36);
    expect(other.ms).toBeLessThan(PROMPT_MS);
    // The default setting is 4: two of the six are refused at once, the rest wait for their
    // tenant's one thread and time out.
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
      expect(response.ms).toBeLessThan(PROMPT_MS);
    }
    expect(responses.filter((response) => response.value.status === 504)).toHaveLength(4);
  });

  it('should leave a thread for another tenant even when one tenant may run more than the pool holds', async () => {
    const greedy = await tenantWithLimit(50);
    const pool = testApp.app.get(SolverPool);
    const hard = Array.from({ length: pool.capacity }, () =>
      hardSolve(greedy.key, LONG_TIMEOUT_MS),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const other = await timed(() =>
      testApp.http
        .post('/v1/tools/solve_optimization/invoke')
        .set('X-API-Key', otherTenant.key)
        .send({ input: small }),
    );
    const responses = await Promise.all(hard);

    expect(other.value.status).toBe(200);
    expect(other.ms).toBeLessThan(PROMPT_MS);
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

  it("should explain a given solution without taking one of the tenant's concurrent places", async () => {
    const single = await tenantWithLimit(1);
    const solved = await testApp.http
      .post('/v1/tools/solve_optimization/invoke')
      .set('X-API-Key', single.key)
      .send({ input: small })
      .expect(200);
    const hard = hardSolve(single.key, 2000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const explained = await testApp.http
      .post('/v1/tools/explain_solution/invoke')
      .set('X-API-Key', single.key)
      .send({ input: { model: small, solution: solved.body.output } });
    const solving = await testApp.http
      .post('/v1/tools/explain_solution/invoke')
      .set('X-API-Key', single.key)
      .send({ input: { model: small } });

    expect(explained.status).toBe(200);
    expect(explained.body.output.objectiveValue).toBe(36);
    // Without a solution it solves, so it needs the place the hard solve holds.
    expect(solving.status).toBe(429);
    expect(solving.body).toMatchObject({ code: 'concurrency_limit', limit: 1 });
    expect((await hard).value.status).toBe(504);
  });

  it('should answer 503 with Retry-After once the solver queue is full, and record each call once', async () => {
    // Only several tenants together can fill the pool: one tenant never holds more than one of
    // the two threads, running or queued, so it takes as many tenants as the pool has places.
    const pool = testApp.app.get(SolverPool);
    const tenants = await Promise.all(
      Array.from({ length: pool.capacity + 2 }, () =>
        createTenantWithKey(testApp, ['tools:invoke']),
      ),
    );
    // Two threads and a queue of four: two of eight concurrent long solves find no room.
    const responses = await Promise.all(tenants.map((tenant) => hardSolve(tenant.key, 3000)));
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
    const records = (
      await Promise.all(tenants.map((tenant) => repository.listByTenant(tenant.tenantId, 20)))
    ).flat();
    expect(records).toHaveLength(pool.capacity + 2);
    const timedOut = records.filter((record) => record.errorCode === 'tool_timeout');
    const unavailable = records.filter((record) => record.errorCode === 'service_unavailable');
    expect(timedOut).toHaveLength(pool.capacity);
    expect(unavailable).toHaveLength(2);
    // A timed-out solve used the time it was given; a refusal of the service delivered nothing.
    expect(timedOut.map((record) => record.cost)).toEqual(timedOut.map(() => 1));
    expect(unavailable.map((record) => record.cost)).toEqual([0, 0]);
  });

  it('should time out a multi-solve tool too, stopping the scenario solve it was running', async () => {
    const pool = testApp.app.get(SolverPool);
    const model = marketSplitModel(5);
    // The baseline has no objective and solves at once; penalising the slacks makes the market
    // split problem that branch and bound cannot finish.
    const penalise = model.variables
      .filter((variable) => /^[st]\d+$/.test(variable.name))
      .map((variable) => ({ kind: 'objective', target: variable.name, value: 1 }));
    const simulation = timed(() =>
      testApp.http
        .post('/v1/tools/simulate_scenarios/invoke')
        .set('X-API-Key', slowTenant.key)
        .send({
          timeoutMs: 2000,
          input: { model, scenarios: [{ name: 'penalise deviation', changes: penalise }] },
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const threadsDuringSolve = pool.threadIds();

    const timedOut = await simulation;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const threadsAfter = pool.threadIds();
    const after = await testApp.http
      .post('/v1/tools/simulate_scenarios/invoke')
      .set('X-API-Key', slowTenant.key)
      .send({
        input: {
          model: small,
          scenarios: [{ name: 'only', changes: [{ kind: 'rhs', target: 'plant 3', value: 24 }] }],
        },
      });

    expect(timedOut.value.status).toBe(504);
    expect(timedOut.value.body).toMatchObject({
      code: 'tool_timeout',
      status: 504,
      timeoutMs: 2000,
      invocationId: expect.stringMatching(/^inv_/),
    });
    expect(timedOut.ms).toBeGreaterThanOrEqual(1900);
    expect(timedOut.ms).toBeLessThan(2000 + 3000);
    expect(threadsDuringSolve.filter((id) => !threadsAfter.includes(id))).toHaveLength(1);
    expect(after.status).toBe(200);
    expect(after.body.output.scenarios[0].objectiveValue).toBe(42);
  });

  it("should answer HiGHS' own time limit with 200 and the best plan, unlike the hard timeout", async () => {
    const hard = await testApp.http
      .post('/v1/tools/solve_optimization/invoke')
      .set('X-API-Key', slowTenant.key)
      .send({ input: { lp: marketSplit(4), options: { timeLimitSeconds: 0.5 } } })
      .expect(200);

    expect(hard.body.output.status).toBe('time_limit');
    expect(hard.body.output.objectiveValue).toEqual(expect.any(Number));
  });
});
