import { AppConfigService, loadConfig } from '@app/config';
import { OptimizationService } from '../optimization/optimization.service';
import { OptimizationModel } from '../optimization/optimization-model.types';
import { SolverPool } from '../solver/solver-pool.service';
import { SolutionExplainer } from './solution.explainer';

const wyndor: OptimizationModel = {
  sense: 'maximize',
  variables: [{ name: 'doors' }, { name: 'windows' }],
  objective: { terms: { doors: 3, windows: 5 } },
  constraints: [
    { name: 'plant 1 hours', terms: { doors: 1 }, sense: '<=', rhs: 4 },
    { name: 'plant 2 hours', terms: { windows: 2 }, sense: '<=', rhs: 12 },
    { name: 'plant 3 hours', terms: { doors: 3, windows: 2 }, sense: '<=', rhs: 18 },
  ],
};

describe(SolutionExplainer.name, () => {
  const explainer = new SolutionExplainer();
  const config = new AppConfigService(loadConfig({ TOOLS_MAX_THREADS: '1' }));
  const pool = new SolverPool(config);
  const optimization = new OptimizationService(pool, config);
  const never = new AbortController().signal;

  afterAll(async () => {
    await pool.onApplicationShutdown();
  });

  it('should name the binding constraints with their shadow prices and the spare capacity', async () => {
    const solution = await optimization.solve(wyndor, never);
    const explanation = explainer.explain(wyndor, solution);

    expect(explanation.bindingConstraints).toEqual([
      expect.objectContaining({ name: 'plant 2 hours', activity: 12, slack: 0, shadowPrice: 1.5 }),
      expect.objectContaining({ name: 'plant 3 hours', activity: 18, slack: 0, shadowPrice: 1 }),
    ]);
    expect(explanation.nonBindingConstraints).toEqual([
      expect.objectContaining({ name: 'plant 1 hours', activity: 2, slack: 2, binding: false }),
    ]);
    expect(explanation.bindingConstraints[0].explanation).toBe(
      '"plant 2 hours" is binding: it uses all of its limit of 12. Each extra unit of its ' +
        'right-hand side would change the objective by +1.5 (an improvement), as long as the same ' +
        'constraints stay binding.',
    );
    expect(explanation.summary).toBe(
      'The plan is optimal: the maximum objective is 36. 2 of 3 constraints are binding and limit ' +
        'the plan: "plant 2 hours", "plant 3 hours". Relaxing "plant 2 hours" is worth the most: ' +
        '1.5 per unit. 1 constraint has spare room.',
    );
    expect(explanation.variablesAtBounds).toEqual([]);
    expect(explanation.notes).toEqual([]);
  });

  it('should explain decisions held at a bound by their reduced cost', async () => {
    const model: OptimizationModel = {
      sense: 'minimize',
      variables: [{ name: 'premium' }, { name: 'basic' }],
      objective: { terms: { premium: 10, basic: 4 } },
      constraints: [{ name: 'demand', terms: { premium: 1, basic: 1 }, sense: '>=', rhs: 8 }],
    };
    const explanation = explainer.explain(model, await optimization.solve(model, never));

    expect(explanation.variablesAtBounds).toEqual([
      expect.objectContaining({ name: 'premium', value: 0, bound: 'lower', reducedCost: 6 }),
    ]);
    expect(explanation.variablesAtBounds[0].explanation).toContain(
      'Moving it one unit up would change the objective by +6',
    );
    expect(explanation.bindingConstraints).toEqual([
      expect.objectContaining({ name: 'demand', shadowPrice: 4 }),
    ]);
  });

  it('should recompute activities from a pasted solution and note that MIPs have no prices', () => {
    const model: OptimizationModel = {
      ...wyndor,
      variables: [
        { name: 'doors', type: 'integer' },
        { name: 'windows', type: 'integer', upper: 6 },
      ],
    };
    const explanation = explainer.explain(model, {
      status: 'optimal',
      objectiveValue: 36,
      variables: { doors: 2, windows: 6 },
    });

    expect(explanation.bindingConstraints.map((item) => item.name)).toEqual([
      'plant 2 hours',
      'plant 3 hours',
    ]);
    expect(explanation.bindingConstraints[0].shadowPrice).toBeUndefined();
    expect(explanation.variablesAtBounds).toEqual([
      expect.objectContaining({ name: 'windows', bound: 'upper', value: 6 }),
    ]);
    expect(explanation.notes[0]).toMatch(/not defined for models with integer decisions/);
  });

  it('should say what to look for when no plan exists', () => {
    const explanation = explainer.explain(wyndor, { status: 'infeasible', variables: {} });

    expect(explanation.summary).toMatch(/^No plan satisfies every constraint at once/);
    expect(explanation.bindingConstraints).toEqual([]);
  });
});
