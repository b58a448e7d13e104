import { Injectable } from '@nestjs/common';
import { AppException, FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer.util';
import { nameMap, ownValue } from '../optimization/name-map.util';
import { OptimizationService } from '../optimization/optimization.service';
import { OptimizationModel, SolveResult } from '../optimization/optimization-model.types';
import { SOLVER_NUMBER_LIMIT } from '../schemas/model.schema';
import {
  AppliedChange,
  Scenario,
  ScenarioChange,
  ScenarioOutcome,
  SimulateInput,
  SimulationReport,
} from './scenario.types';
import { SeededRandom } from './seeded.random';

const CHANGE_TOLERANCE = 1e-6;
const DEFAULT_SEED = 1;

/** The outcome of a scenario whose bounds cross; no solve can find a plan for it. */
const CROSSED_BOUNDS: Pick<SolveResult, 'status' | 'objectiveValue' | 'variables'> = {
  status: 'infeasible',
  objectiveValue: null,
  variables: nameMap(),
};

/**
 * Re-solves a model under named what-if scenarios. Scenarios run one after another on the pool,
 * so one tenant's simulation occupies one worker at a time and cannot crowd out the others.
 */
@Injectable()
export class ScenarioSimulator {
  constructor(private readonly optimization: OptimizationService) {}

  async simulate(input: SimulateInput, signal: AbortSignal): Promise<SimulationReport> {
    this.optimization.check(input.model, '/model');
    this.assertTargets(input);
    const seed = input.seed ?? DEFAULT_SEED;
    // Scenarios are applied first, so one that leaves the solver range costs no solve.
    const variants = input.scenarios.map((scenario, index) =>
      this.apply(input.model, scenario, new SeededRandom(seed, index)),
    );
    this.assertInRange(variants);
    const baseline = await this.optimization.solve(input.model, signal, '/model');

    const outcomes: ScenarioOutcome[] = [];
    const values: Record<string, number>[] = [];
    for (const [index, scenario] of input.scenarios.entries()) {
      const { model, applied } = variants[index];
      // Crossed bounds admit no plan at all: that scenario is infeasible, the others still run.
      const result = this.hasCrossedBounds(model)
        ? CROSSED_BOUNDS
        : await this.optimization.solve(model, signal, '/model');
      values.push(result.variables);
      outcomes.push(this.outcome(scenario, baseline, result, applied));
    }

    return {
      seed,
      baseline: { status: baseline.status, objectiveValue: baseline.objectiveValue },
      scenarios: outcomes,
      decisions: this.sideBySide(input, baseline, values),
    };
  }

  private assertTargets(input: SimulateInput): void {
    const variables = new Set(input.model.variables.map((variable) => variable.name));
    const constraints = new Set(input.model.constraints.map((constraint) => constraint.name));
    const names = new Set<string>();
    const errors: FieldError[] = [];
    input.scenarios.forEach((scenario, index) => {
      if (names.has(scenario.name)) {
        errors.push({
          field: childPointer('', 'scenarios', index, 'name'),
          message: 'duplicates another scenario name',
        });
      }
      names.add(scenario.name);
      scenario.changes.forEach((change, changeIndex) => {
        if (change.random?.distribution === 'uniform' && change.random.min > change.random.max) {
          errors.push({
            field: childPointer('', 'scenarios', index, 'changes', changeIndex, 'random', 'max'),
            message: 'must not be below min',
          });
        }
        const known = change.kind === 'rhs' ? constraints : variables;
        if (!known.has(change.target)) {
          errors.push({
            field: childPointer('', 'scenarios', index, 'changes', changeIndex, 'target'),
            message: `is not a ${change.kind === 'rhs' ? 'constraint' : 'variable'} of the model`,
          });
        }
      });
    });
    if (errors.length > 0) {
      throw new AppException('tool_input_invalid', 'Some scenarios do not fit the model', {
        errors,
      });
    }
  }

  /** Values a change produced are checked here, so the error names the change, not the model. */
  private assertInRange(variants: { applied: AppliedChange[] }[]): void {
    const errors: FieldError[] = [];
    variants.forEach((variant, index) => {
      variant.applied.forEach((change, changeIndex) => {
        // 0 times an infinite draw is NaN, which no comparison catches: isFinite does.
        if (
          change.to !== null &&
          (!Number.isFinite(change.to) || Math.abs(change.to) > SOLVER_NUMBER_LIMIT)
        ) {
          errors.push({
            field: childPointer('', 'scenarios', index, 'changes', changeIndex),
            message: Number.isFinite(change.to)
              ? `sets ${change.target} to ${change.to}, beyond the solver range of ±${SOLVER_NUMBER_LIMIT}`
              : `sets ${change.target} to ${change.to}, not a finite number`,
          });
        }
      });
    });
    if (errors.length > 0) {
      throw new AppException('tool_input_invalid', 'Some scenarios leave the solver range', {
        errors,
      });
    }
  }

  private hasCrossedBounds(model: OptimizationModel): boolean {
    return model.variables.some((variable) => {
      const lower = variable.lower === undefined ? 0 : variable.lower;

      return lower !== null && variable.upper !== undefined && variable.upper !== null
        ? lower > variable.upper
        : false;
    });
  }

  private apply(
    base: OptimizationModel,
    scenario: Scenario,
    random: SeededRandom,
  ): { model: OptimizationModel; applied: AppliedChange[] } {
    const model = structuredClone(base);
    const applied: AppliedChange[] = [];
    for (const change of scenario.changes) {
      const drawn = this.operand(change, random);
      const from = this.read(model, change);
      const to = this.combine(from, change.op ?? 'set', drawn);
      this.write(model, change, to);
      applied.push({
        kind: change.kind,
        target: change.target,
        from,
        to,
        ...(change.random ? { drawn } : {}),
      });
    }

    return { model, applied };
  }

  private operand(change: ScenarioChange, random: SeededRandom): number {
    if (!change.random) {
      return change.value as number;
    }

    const draw =
      change.random.distribution === 'uniform'
        ? random.uniform(change.random.min, change.random.max)
        : random.normal(change.random.mean, change.random.stdDev);

    return Number(draw.toPrecision(12));
  }

  /** null stands for an infinite bound. */
  private read(model: OptimizationModel, change: ScenarioChange): number | null {
    if (change.kind === 'rhs') {
      return model.constraints.find((constraint) => constraint.name === change.target)!.rhs;
    }
    if (change.kind === 'objective') {
      return ownValue(model.objective.terms, change.target) ?? 0;
    }

    const variable = model.variables.find((item) => item.name === change.target)!;
    if (change.kind === 'lower') {
      return variable.lower === undefined ? 0 : variable.lower;
    }

    return variable.upper ?? null;
  }

  private combine(
    from: number | null,
    op: 'set' | 'add' | 'multiply',
    operand: number,
  ): number | null {
    if (op === 'set') {
      return operand;
    }
    // Adding to or scaling an infinite bound leaves it infinite.
    if (from === null) {
      return null;
    }

    return Number((op === 'add' ? from + operand : from * operand).toPrecision(12));
  }

  private write(model: OptimizationModel, change: ScenarioChange, to: number | null): void {
    if (change.kind === 'rhs') {
      model.constraints.find((constraint) => constraint.name === change.target)!.rhs = to as number;

      return;
    }
    if (change.kind === 'objective') {
      // Defined, not assigned: a variable named __proto__ must become a term, not a prototype.
      Object.defineProperty(model.objective.terms, change.target, {
        value: to,
        enumerable: true,
        writable: true,
        configurable: true,
      });

      return;
    }

    const variable = model.variables.find((item) => item.name === change.target)!;
    variable[change.kind] = to;
  }

  private outcome(
    scenario: Scenario,
    baseline: SolveResult,
    result: Pick<SolveResult, 'status' | 'objectiveValue' | 'variables'>,
    applied: AppliedChange[],
  ): ScenarioOutcome {
    const changedDecisions: ScenarioOutcome['changedDecisions'] = [];
    const names = new Set([...Object.keys(baseline.variables), ...Object.keys(result.variables)]);
    for (const variable of names) {
      const before = ownValue(baseline.variables, variable) ?? null;
      const after = ownValue(result.variables, variable) ?? null;
      if (this.differs(before, after)) {
        changedDecisions.push({ variable, baseline: before, scenario: after });
      }
    }

    return {
      name: scenario.name,
      status: result.status,
      objectiveValue: result.objectiveValue,
      objectiveChange:
        result.objectiveValue !== null && baseline.objectiveValue !== null
          ? Number((result.objectiveValue - baseline.objectiveValue).toPrecision(12)) + 0
          : null,
      appliedChanges: applied,
      changedDecisions,
    };
  }

  private sideBySide(
    input: SimulateInput,
    baseline: SolveResult,
    values: Record<string, number>[],
  ): SimulationReport['decisions'] {
    return input.model.variables
      .map((variable) => variable.name)
      .filter((name) =>
        values.some((scenario) =>
          this.differs(baseline.variables[name] ?? null, scenario[name] ?? null),
        ),
      )
      .map((name) => ({
        variable: name,
        baseline: baseline.variables[name] ?? null,
        scenarios: Object.fromEntries(
          input.scenarios.map((scenario, index) => [scenario.name, values[index][name] ?? null]),
        ),
      }));
  }

  private differs(a: number | null, b: number | null): boolean {
    if (a === null || b === null) {
      return a !== b;
    }

    return Math.abs(a - b) > CHANGE_TOLERANCE * Math.max(1, Math.abs(a));
  }
}
