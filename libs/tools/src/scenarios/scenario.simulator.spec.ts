import { AppConfigService, loadConfig } from '@app/config';
import { OptimizationService } from '../optimization/optimization.service';
import { OptimizationModel } from '../optimization/optimization-model.types';
import { SolverPool } from '../solver/solver-pool.service';
import { ScenarioSimulator } from './scenario.simulator';

const wyndor: OptimizationModel = {
  sense: 'maximize',
  variables: [{ name: 'x' }, { name: 'y' }],
  objective: { terms: { x: 3, y: 5 } },
  constraints: [
    { name: 'plant 1', terms: { x: 1 }, sense: '<=', rhs: 4 },
    { name: 'plant 2', terms: { y: 2 }, sense: '<=', rhs: 12 },
    { name: 'plant 3', terms: { x: 3, y: 2 }, sense: '<=', rhs: 18 },
  ],
};

describe(ScenarioSimulator.name, () => {
  const config = new AppConfigService(loadConfig({ TOOLS_MAX_THREADS: '1' }));
  const pool = new SolverPool(config);
  const simulator = new ScenarioSimulator(new OptimizationService(pool, config));
  const never = new AbortController().signal;

  afterAll(async () => {
    await pool.onApplicationShutdown();
  });

  it('should re-solve under rhs, bound and objective changes and list changed decisions side by side', async () => {
    const report = await simulator.simulate(
      {
        model: wyndor,
        scenarios: [
          {
            name: 'more plant 3',
            changes: [{ kind: 'rhs', target: 'plant 3', op: 'add', value: 6 }],
          },
          { name: 'cap windows', changes: [{ kind: 'upper', target: 'y', value: 3 }] },
          {
            name: 'cheaper doors',
            changes: [{ kind: 'objective', target: 'x', op: 'multiply', value: 0.5 }],
          },
        ],
      },
      never,
    );

    expect(report.baseline).toEqual({ status: 'optimal', objectiveValue: 36 });
    expect(report.scenarios).toEqual([
      expect.objectContaining({
        name: 'more plant 3',
        objectiveValue: 42,
        objectiveChange: 6,
        appliedChanges: [{ kind: 'rhs', target: 'plant 3', from: 18, to: 24 }],
        changedDecisions: [{ variable: 'x', baseline: 2, scenario: 4 }],
      }),
      expect.objectContaining({
        name: 'cap windows',
        objectiveValue: 27,
        objectiveChange: -9,
        changedDecisions: [
          { variable: 'x', baseline: 2, scenario: 4 },
          { variable: 'y', baseline: 6, scenario: 3 },
        ],
      }),
      expect.objectContaining({ name: 'cheaper doors', objectiveValue: 33, changedDecisions: [] }),
    ]);
    expect(report.decisions).toEqual([
      {
        variable: 'x',
        baseline: 2,
        scenarios: { 'more plant 3': 4, 'cap windows': 4, 'cheaper doors': 2 },
      },
      {
        variable: 'y',
        baseline: 6,
        scenarios: { 'more plant 3': 6, 'cap windows': 3, 'cheaper doors': 6 },
      },
    ]);
  });

  it('should reproduce random draws from the same seed and vary them with another', async () => {
    const input = {
      model: wyndor,
      scenarios: [
        {
          name: 'demand shock',
          changes: [
            {
              kind: 'rhs' as const,
              target: 'plant 3',
              op: 'multiply' as const,
              random: { distribution: 'uniform' as const, min: 0.8, max: 1.2 },
            },
          ],
        },
      ],
    };
    const first = await simulator.simulate({ ...input, seed: 7 }, never);
    const again = await simulator.simulate({ ...input, seed: 7 }, never);
    const other = await simulator.simulate({ ...input, seed: 8 }, never);
    const drawn = first.scenarios[0].appliedChanges[0];

    expect(again.scenarios).toEqual(first.scenarios);
    expect(other.scenarios[0].appliedChanges[0].drawn).not.toBe(drawn.drawn);
    expect(drawn.drawn).toBeGreaterThanOrEqual(0.8);
    expect(drawn.drawn).toBeLessThan(1.2);
    expect(drawn.to).toBeCloseTo(18 * (drawn.drawn as number), 6);
  });

  it('should refuse targets the model does not have, naming each one', async () => {
    await expect(
      simulator.simulate(
        {
          model: wyndor,
          scenarios: [
            { name: 's', changes: [{ kind: 'rhs', target: 'x', value: 1 }] },
            { name: 's', changes: [{ kind: 'upper', target: 'plant 1', value: 1 }] },
          ],
        },
        never,
      ),
    ).rejects.toMatchObject({
      code: 'tool_input_invalid',
      errors: [
        { field: '/scenarios/0/changes/0/target', message: 'is not a constraint of the model' },
        { field: '/scenarios/1/name', message: 'duplicates another scenario name' },
        { field: '/scenarios/1/changes/0/target', message: 'is not a variable of the model' },
      ],
    });
  });

  it('should refuse a change whose value is not a finite number, naming it, before any solve', async () => {
    // 0 times an infinite draw is NaN, which used to pass every range comparison.
    const attempt = simulator.simulate(
      {
        model: wyndor,
        scenarios: [
          { name: 'fine', changes: [{ kind: 'upper', target: 'y', value: 3 }] },
          {
            name: 'infinite draw',
            changes: [
              {
                kind: 'objective',
                target: 'x',
                op: 'set',
                value: 0,
              },
              {
                kind: 'objective',
                target: 'x',
                op: 'multiply',
                random: { distribution: 'uniform', min: -1e308, max: 1e308 },
              },
            ],
          },
        ],
      },
      new AbortController().signal,
    );

    await expect(attempt).rejects.toMatchObject({
      code: 'tool_input_invalid',
      status: 400,
      errors: [{ field: '/scenarios/1/changes/1', message: 'sets x to NaN, not a finite number' }],
    });
  });
});
