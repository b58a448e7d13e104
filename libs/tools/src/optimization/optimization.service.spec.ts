import { AppException } from '@app/common';
import { AppConfigService, loadConfig } from '@app/config';
import { SolveAbortedError } from '../solver/solve-aborted.error';
import { SolverPool } from '../solver/solver-pool.service';
import { OptimizationModel } from './optimization-model.types';
import { OptimizationService } from './optimization.service';

/** Cornuéjols-Dawande market split: tiny, yet branch and bound needs far longer than a test. */
function marketSplit(rows: number): string {
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;

    return seed / 2147483648;
  };
  const n = 10 * (rows - 1);
  const lines = [
    'Minimize',
    ` obj: ${Array.from({ length: rows }, (_, i) => `s${i} + t${i}`).join(' + ')}`,
  ];
  lines.push('Subject To');
  for (let i = 0; i < rows; i++) {
    const a = Array.from({ length: n }, () => Math.floor(next() * 100));
    const d = Math.floor(a.reduce((sum, v) => sum + v, 0) / 2);
    lines.push(` r${i}: ${a.map((v, j) => `+ ${v} x${j}`).join(' ')} + s${i} - t${i} = ${d}`);
  }
  lines.push('Binaries', ` ${Array.from({ length: n }, (_, j) => `x${j}`).join(' ')}`, 'End');

  return lines.join('\n');
}

const textbook: OptimizationModel = {
  sense: 'maximize',
  variables: [{ name: 'x' }, { name: 'y' }],
  objective: { terms: { x: 3, y: 5 } },
  constraints: [
    { name: 'plant 1', terms: { x: 1 }, sense: '<=', rhs: 4 },
    { name: 'plant 2', terms: { y: 2 }, sense: '<=', rhs: 12 },
    { name: 'plant 3', terms: { x: 3, y: 2 }, sense: '<=', rhs: 18 },
  ],
};

describe(OptimizationService.name, () => {
  let pool: SolverPool;
  let service: OptimizationService;
  const never = new AbortController().signal;

  beforeAll(() => {
    const config = new AppConfigService(
      loadConfig({
        TOOLS_MAX_THREADS: '2',
        TOOLS_MAX_VARIABLES: '50',
        TOOLS_MAX_CONSTRAINTS: '40',
        TOOLS_MAX_LP_LENGTH: '20000',
      }),
    );
    pool = new SolverPool(config);
    service = new OptimizationService(pool, config);
  });

  afterAll(async () => {
    await pool.onApplicationShutdown();
  });

  it('should solve the Wyndor Glass LP (Hillier & Lieberman) to 36 at x=2, y=6 with its duals', async () => {
    const result = await service.solve(textbook, never);

    expect(result).toMatchObject({
      status: 'optimal',
      modelType: 'lp',
      objectiveValue: 36,
      variables: { x: 2, y: 6 },
      duals: { 'plant 1': 0, 'plant 2': 1.5, 'plant 3': 1 },
      slacks: { 'plant 1': 2, 'plant 2': 0, 'plant 3': 0 },
      activities: { 'plant 1': 2, 'plant 2': 12, 'plant 3': 18 },
      reducedCosts: { x: 0, y: 0 },
      solver: { name: 'HiGHS' },
    });
    expect(result.solver.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.solveTimeMs).toBeGreaterThanOrEqual(0);
  });

  it('should report shadow prices as objective change per unit of right-hand side when minimizing', async () => {
    const result = await service.solve(
      {
        sense: 'minimize',
        variables: [{ name: 'x' }, { name: 'y' }],
        objective: { terms: { x: 2, y: 3 }, constant: 7 },
        constraints: [
          { name: 'demand', terms: { x: 1, y: 1 }, sense: '>=', rhs: 10 },
          { name: 'cap x', terms: { x: 1 }, sense: '<=', rhs: 4 },
        ],
      },
      never,
    );

    expect(result).toMatchObject({
      status: 'optimal',
      objectiveValue: 33,
      variables: { x: 4, y: 6 },
      duals: { demand: 3, 'cap x': -1 },
    });
  });

  it('should solve the Wikipedia knapsack MIP to $15 leaving the 12 kg box out', async () => {
    const boxes = [
      { name: 'green 12kg', weight: 12, value: 4 },
      { name: 'grey 1kg', weight: 1, value: 2 },
      { name: 'blue 2kg', weight: 2, value: 2 },
      { name: 'orange 1kg', weight: 1, value: 1 },
      { name: 'yellow 4kg', weight: 4, value: 10 },
    ];
    const result = await service.solve(
      {
        sense: 'maximize',
        variables: boxes.map((box) => ({ name: box.name, type: 'binary' as const })),
        objective: { terms: Object.fromEntries(boxes.map((box) => [box.name, box.value])) },
        constraints: [
          {
            name: 'capacity',
            terms: Object.fromEntries(boxes.map((box) => [box.name, box.weight])),
            sense: '<=',
            rhs: 15,
          },
        ],
      },
      never,
    );

    expect(result).toMatchObject({
      status: 'optimal',
      modelType: 'mip',
      objectiveValue: 15,
      variables: {
        'green 12kg': 0,
        'grey 1kg': 1,
        'blue 2kg': 1,
        'orange 1kg': 1,
        'yellow 4kg': 1,
      },
      slacks: { capacity: 7 },
    });
    expect(result.duals).toBeUndefined();
  });

  it('should solve CPLEX LP text and keep its own names', async () => {
    const result = await service.solve(
      {
        lp: [
          'Maximize',
          ' profit: 30 chairs + 50 tables',
          'Subject To',
          ' carpentry: chairs + 2 tables <= 40',
          ' finishing: 2 chairs + tables <= 50',
          'Generals',
          ' chairs tables',
          'End',
        ].join('\n'),
      },
      never,
    );

    expect(result).toMatchObject({
      status: 'optimal',
      modelType: 'mip',
      objectiveValue: 1100,
      variables: { chairs: 20, tables: 10 },
      slacks: { carpentry: 0, finishing: 0 },
    });
  });

  it('should report an infeasible model without values', async () => {
    const result = await service.solve(
      {
        sense: 'minimize',
        variables: [{ name: 'x' }],
        objective: { terms: { x: 1 } },
        constraints: [
          { name: 'at least 5', terms: { x: 1 }, sense: '>=', rhs: 5 },
          { name: 'at most 3', terms: { x: 1 }, sense: '<=', rhs: 3 },
        ],
      },
      never,
    );

    expect(result).toMatchObject({ status: 'infeasible', objectiveValue: null, variables: {} });
  });

  it('should report an unbounded model, telling it apart from infeasible after presolve', async () => {
    const result = await service.solve(
      {
        sense: 'maximize',
        variables: [{ name: 'x' }, { name: 'y' }],
        objective: { terms: { x: 1, y: 1 } },
        constraints: [{ name: 'gap', terms: { x: 1, y: -1 }, sense: '>=', rhs: 5 }],
      },
      never,
    );

    expect(result).toMatchObject({ status: 'unbounded', objectiveValue: null });
  });

  it('should honour free, negative and fixed bounds and integer variables', async () => {
    const result = await service.solve(
      {
        sense: 'minimize',
        variables: [
          { name: 'free', lower: null },
          { name: 'neg', type: 'integer', lower: -10, upper: -2.5 },
          { name: 'fixed', lower: 4, upper: 4 },
        ],
        objective: { terms: { free: 1, neg: -1, fixed: 2 } },
        constraints: [{ name: 'floor', terms: { free: 1, neg: 1 }, sense: '>=', rhs: -20 }],
      },
      never,
    );

    expect(result).toMatchObject({
      status: 'optimal',
      variables: { free: -17, neg: -3, fixed: 4 },
      objectiveValue: -6,
    });
  });

  it('should keep names with LP syntax in them out of the LP text', async () => {
    const result = await service.solve(
      {
        sense: 'maximize',
        variables: [{ name: 'a: 1 <= b\nEnd', upper: 3 }, { name: '\\ comment' }],
        objective: { terms: { 'a: 1 <= b\nEnd': 1, '\\ comment': 1 } },
        constraints: [
          { name: 'Subject To', terms: { '\\ comment': 1 }, sense: '<=', rhs: 2 },
          { name: 'empty', terms: {}, sense: '<=', rhs: 1 },
        ],
      },
      never,
    );

    expect(result).toMatchObject({
      status: 'optimal',
      objectiveValue: 5,
      variables: { 'a: 1 <= b\nEnd': 3, '\\ comment': 2 },
      slacks: { 'Subject To': 0, empty: 1 },
    });
  });

  it('should name every inconsistency of a model in one 400', async () => {
    const attempt = service.solve(
      {
        sense: 'minimize',
        variables: [{ name: 'x' }, { name: 'x' }, { name: 'y', lower: 5, upper: 1 }],
        objective: { terms: { z: 1 } },
        constraints: [
          { name: 'c', terms: { w: 1 }, sense: '<=', rhs: 1 },
          { name: 'c', terms: { x: 1 }, sense: '<=', rhs: 1 },
        ],
      },
      never,
      '/model',
    );

    await expect(attempt).rejects.toMatchObject({
      code: 'tool_input_invalid',
      errors: expect.arrayContaining([
        expect.objectContaining({ field: '/model/variables/1/name' }),
        expect.objectContaining({ field: '/model/variables/2' }),
        expect.objectContaining({ field: '/model/objective/terms/z' }),
        expect.objectContaining({ field: '/model/constraints/0/terms/w' }),
        expect.objectContaining({ field: '/model/constraints/1/name' }),
      ]),
    });
  });

  it('should refuse models over the configured size limits with 413', async () => {
    const variables = Array.from({ length: 51 }, (_, i) => ({ name: `v${i}` }));

    await expect(
      service.solve(
        { sense: 'minimize', variables, objective: { terms: {} }, constraints: [] },
        never,
      ),
    ).rejects.toMatchObject({ code: 'model_too_large', status: 413 });
    await expect(service.solve({ lp: 'x'.repeat(20001) }, never)).rejects.toMatchObject({
      code: 'model_too_large',
      extensions: { dimension: 'lpLength', actual: 20001, limit: 20000 },
    });
  });

  it('should refuse LP text over the variable or constraint limit with 413 before solving it', async () => {
    // 60 binaries and 14 slacks: over 50 columns, and a solve that would outlast the test.
    const long = service.solve({ lp: marketSplit(7) }, never);
    const rows = service.solve(
      {
        lp: [
          'Minimize',
          ' obj: x',
          'Subject To',
          ...Array.from({ length: 41 }, (_, i) => ` c${i}: x >= ${i}`),
          'End',
        ].join('\n'),
      },
      never,
    );

    await expect(long).rejects.toMatchObject({
      code: 'model_too_large',
      status: 413,
      extensions: { dimension: 'variables', actual: 74, limit: 50 },
    });
    await expect(rows).rejects.toMatchObject({
      code: 'model_too_large',
      extensions: { dimension: 'constraints', actual: 41, limit: 40 },
    });
    await expect(service.solve(textbook, never)).resolves.toMatchObject({ objectiveValue: 36 });
  });

  it('should answer tool_failed for unreadable LP text and keep solving afterwards', async () => {
    const attempt = service.solve(
      { lp: 'Minimize\n obj: x +* \nSubject To\n c0: x >= 1 2\nEnd' },
      never,
    );

    await expect(attempt).rejects.toBeInstanceOf(AppException);
    await expect(attempt).rejects.toMatchObject({ code: 'tool_failed' });
    await expect(service.solve(textbook, never)).resolves.toMatchObject({ objectiveValue: 36 });
  });

  it('should stop HiGHS at its own time limit and report time_limit', async () => {
    const result = await service.solve(
      { lp: marketSplit(4), options: { timeLimitSeconds: 0.5 } },
      never,
    );

    expect(result.status).toBe('time_limit');
    expect(result.solverStatus).toBe('Time limit reached');
  });

  it('should terminate a solve when its signal aborts and keep serving afterwards', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('deadline')), 300);

    await expect(service.solve({ lp: marketSplit(5) }, controller.signal)).rejects.toBeInstanceOf(
      SolveAbortedError,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(service.solve(textbook, never)).resolves.toMatchObject({ objectiveValue: 36 });
    await expect(service.solve(textbook, never)).resolves.toMatchObject({ objectiveValue: 36 });
  });
});
