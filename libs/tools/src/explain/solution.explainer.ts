import { FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer.util';
import { ownValue } from '../optimization/name-map.util';
import {
  ModelConstraint,
  ModelVariable,
  OptimizationModel,
} from '../optimization/optimization-model.types';
import {
  BoundExplanation,
  ConstraintExplanation,
  Explanation,
  SolutionInput,
} from './explanation.types';

const TOLERANCE = 1e-6;
const NAMES_IN_SUMMARY = 5;

/**
 * Reads a solution against its model and says, in words a planner can use, what limits the plan:
 * binding constraints with their shadow prices, spare capacity, and decisions stuck at a bound.
 * Activities and slacks are recomputed from the model, so a pasted solution cannot contradict it.
 */
export class SolutionExplainer {
  explain(model: OptimizationModel, solution: SolutionInput): Explanation {
    const explanation: Explanation = {
      status: solution.status,
      objectiveValue: solution.objectiveValue ?? null,
      summary: '',
      bindingConstraints: [],
      nonBindingConstraints: [],
      variablesAtBounds: [],
      notes: [],
    };
    const hasValues = model.variables.every(
      (variable) => typeof solution.variables[variable.name] === 'number',
    );
    if (!hasValues || solution.status === 'infeasible' || solution.status === 'unbounded') {
      explanation.summary = this.noPlanSummary(solution);

      return explanation;
    }

    const isMip =
      solution.modelType === 'mip' ||
      model.variables.some((variable) => variable.type === 'integer' || variable.type === 'binary');
    const withPrices = !isMip && solution.status === 'optimal' && solution.duals !== undefined;
    for (const constraint of model.constraints) {
      const item = this.constraint(model, constraint, solution, withPrices);
      (item.binding ? explanation.bindingConstraints : explanation.nonBindingConstraints).push(
        item,
      );
    }
    explanation.variablesAtBounds = this.bounds(model, solution, withPrices);
    explanation.summary = this.summary(model, explanation);
    if (isMip) {
      explanation.notes.push(
        'Shadow prices and reduced costs are not defined for models with integer decisions; ' +
          'binding constraints still show where the plan is tight.',
      );
    }
    if (solution.status === 'time_limit') {
      explanation.notes.push(
        'The solve stopped at its time limit: this is the best plan found, not a proven optimum.',
      );
    }

    return explanation;
  }

  /**
   * Why a pasted solution cannot be a solution of this model: values for variables the model
   * does not declare, missing values when a plan is claimed, and values that break a bound or a
   * constraint. Explaining such a solution would describe a plan that does not exist.
   */
  mismatches(model: OptimizationModel, solution: SolutionInput): FieldError[] {
    const errors: FieldError[] = [];
    const declared = new Set(model.variables.map((variable) => variable.name));
    for (const name of Object.keys(solution.variables)) {
      if (!declared.has(name)) {
        errors.push({
          field: childPointer('/solution', 'variables', name),
          message: 'is not a variable of the model',
        });
      }
    }
    const missing = model.variables.filter(
      (variable) => typeof solution.variables[variable.name] !== 'number',
    );
    if (solution.status === 'optimal') {
      for (const variable of missing) {
        errors.push({
          field: childPointer('/solution', 'variables', variable.name),
          message: 'is missing: the model declares this variable',
        });
      }
    }
    if (errors.length > 0 || missing.length > 0) {
      return errors;
    }

    for (const variable of model.variables) {
      const { lower, upper } = this.boundsOf(variable);
      const value = solution.variables[variable.name];
      if (
        (lower !== null && value < lower - this.tolerance(lower)) ||
        (upper !== null && value > upper + this.tolerance(upper))
      ) {
        errors.push({
          field: childPointer('/solution', 'variables', variable.name),
          message: `is outside the bounds of the variable`,
        });
      }
    }
    for (const constraint of model.constraints) {
      const activity = this.activity(constraint, solution);
      const excess =
        constraint.sense === '<='
          ? activity - constraint.rhs
          : constraint.sense === '>='
            ? constraint.rhs - activity
            : Math.abs(activity - constraint.rhs);
      if (excess > this.tolerance(constraint.rhs)) {
        errors.push({
          field: '/solution',
          message:
            `violates the constraint "${constraint.name}": activity ${this.format(activity)} ` +
            `against ${constraint.sense} ${this.format(constraint.rhs)}`,
        });
      }
    }

    return errors;
  }

  private constraint(
    model: OptimizationModel,
    constraint: ModelConstraint,
    solution: SolutionInput,
    withPrices: boolean,
  ): ConstraintExplanation {
    const activity = this.activity(constraint, solution);
    const gap = constraint.sense === '>=' ? activity - constraint.rhs : constraint.rhs - activity;
    const slack = this.round(constraint.sense === '=' ? Math.abs(gap) : gap);
    const binding = Math.abs(slack) <= this.tolerance(constraint.rhs);
    const price = withPrices ? ownValue(solution.duals, constraint.name) : undefined;
    const item: ConstraintExplanation = {
      name: constraint.name,
      sense: constraint.sense,
      rhs: constraint.rhs,
      activity,
      slack: binding ? 0 : slack,
      binding,
      explanation: '',
    };
    if (price !== undefined) {
      item.shadowPrice = price;
    }

    const label = `"${constraint.name}"`;
    if (!binding) {
      item.explanation =
        `${label} has ${this.format(slack)} of slack (${this.format(activity)} against ` +
        `${constraint.sense} ${this.format(constraint.rhs)}): it does not limit the current plan, ` +
        'so small changes to it leave the plan as it is.';

      return item;
    }

    const reach =
      constraint.sense === '<='
        ? `uses all of its limit of ${this.format(constraint.rhs)}`
        : constraint.sense === '>='
          ? `sits exactly at its minimum of ${this.format(constraint.rhs)}`
          : `holds exactly at ${this.format(constraint.rhs)}`;
    item.explanation = `${label} is binding: it ${reach}.`;
    if (price !== undefined) {
      item.explanation += ` ${this.priceSentence(model, price)}`;
    }

    return item;
  }

  private priceSentence(model: OptimizationModel, price: number): string {
    if (Math.abs(price) <= TOLERANCE) {
      return 'Its shadow price is 0: loosening it alone would not improve the objective.';
    }

    const improves = model.sense === 'maximize' ? price > 0 : price < 0;

    return (
      `Each extra unit of its right-hand side would change the objective by ` +
      `${price > 0 ? '+' : ''}${this.format(price)} (${improves ? 'an improvement' : 'a loss'}), ` +
      'as long as the same constraints stay binding.'
    );
  }

  private bounds(
    model: OptimizationModel,
    solution: SolutionInput,
    withPrices: boolean,
  ): BoundExplanation[] {
    const items: BoundExplanation[] = [];
    for (const variable of model.variables) {
      const value = solution.variables[variable.name];
      const { lower, upper } = this.boundsOf(variable);
      const atLower = lower !== null && Math.abs(value - lower) <= this.tolerance(lower);
      const atUpper = upper !== null && Math.abs(value - upper) <= this.tolerance(upper);
      if (!atLower && !atUpper) {
        continue;
      }

      const bound = atLower && atUpper ? 'fixed' : atLower ? 'lower' : 'upper';
      const item: BoundExplanation = {
        name: variable.name,
        value,
        bound,
        explanation: `"${variable.name}" sits at its ${bound === 'fixed' ? 'fixed value' : `${bound} bound`} of ${this.format(value)}.`,
      };
      const reducedCost = withPrices ? ownValue(solution.reducedCosts, variable.name) : undefined;
      if (reducedCost !== undefined && bound !== 'fixed') {
        item.reducedCost = reducedCost;
        if (Math.abs(reducedCost) > TOLERANCE) {
          const change = bound === 'lower' ? reducedCost : -reducedCost;
          item.explanation +=
            ` Moving it one unit ${bound === 'lower' ? 'up' : 'down'} would change the objective by ` +
            `${change > 0 ? '+' : ''}${this.format(change)}, which is why the plan keeps it there.`;
        } else {
          item.explanation += ' Its reduced cost is 0: moving it would not change the objective.';
        }
      }
      items.push(item);
    }

    return items;
  }

  private summary(model: OptimizationModel, explanation: Explanation): string {
    const parts: string[] = [];
    const word = model.sense === 'maximize' ? 'maximum' : 'minimum';
    parts.push(
      explanation.status === 'optimal'
        ? `The plan is optimal: the ${word} objective is ${this.format(explanation.objectiveValue ?? 0)}.`
        : `The best plan found has an objective of ${this.format(explanation.objectiveValue ?? 0)}.`,
    );

    const binding = explanation.bindingConstraints;
    if (binding.length === 0) {
      parts.push('No constraint is binding: the plan is limited only by variable bounds.');
    } else {
      const names = binding.slice(0, NAMES_IN_SUMMARY).map((item) => `"${item.name}"`);
      const more =
        binding.length > NAMES_IN_SUMMARY ? ` and ${binding.length - NAMES_IN_SUMMARY} more` : '';
      const total = model.constraints.length;
      const verb = binding.length === 1 ? 'is binding and limits' : 'are binding and limit';
      parts.push(
        `${binding.length} of ${total} ${total === 1 ? 'constraint' : 'constraints'} ${verb} the ` +
          `plan: ${names.join(', ')}${more}.`,
      );
    }

    const priced = binding.filter(
      (item) => item.shadowPrice !== undefined && Math.abs(item.shadowPrice) > TOLERANCE,
    );
    if (priced.length > 0) {
      const best = priced.reduce((top, item) =>
        Math.abs(item.shadowPrice as number) > Math.abs(top.shadowPrice as number) ? item : top,
      );
      parts.push(
        `Relaxing "${best.name}" is worth the most: ${this.format(Math.abs(best.shadowPrice as number))} per unit.`,
      );
    }
    if (explanation.nonBindingConstraints.length > 0) {
      const spare = explanation.nonBindingConstraints.length;
      parts.push(
        spare === 1 ? '1 constraint has spare room.' : `${spare} constraints have spare room.`,
      );
    }

    return parts.join(' ');
  }

  private noPlanSummary(solution: SolutionInput): string {
    switch (solution.status) {
      case 'infeasible':
        return (
          'No plan satisfies every constraint at once. Look for requirements that contradict ' +
          'each other (a minimum above a capacity, demand above supply) and relax one of them.'
        );
      case 'unbounded':
        return (
          'The objective can improve without limit: some decision is not held back by any ' +
          'constraint or bound. A capacity, demand or budget limit is probably missing.'
        );
      case 'time_limit':
        return 'The solve stopped at its time limit before finding any feasible plan.';
      default:
        return 'The solver did not return a plan to explain.';
    }
  }

  /** The bounds the solver applies: 0 when omitted, and a binary always within [0, 1]. */
  private boundsOf(variable: ModelVariable): { lower: number | null; upper: number | null } {
    if (variable.type === 'binary') {
      return {
        lower: Math.max(variable.lower ?? 0, 0),
        upper: Math.min(variable.upper ?? 1, 1),
      };
    }

    return {
      lower: variable.lower === undefined ? 0 : variable.lower,
      upper: variable.upper ?? null,
    };
  }

  private activity(constraint: ModelConstraint, solution: SolutionInput): number {
    return this.round(
      Object.entries(constraint.terms).reduce(
        (sum, [name, coefficient]) => sum + coefficient * (ownValue(solution.variables, name) ?? 0),
        0,
      ),
    );
  }

  /** Relative to the size of the number compared against, as the solver's own tolerances are. */
  private tolerance(reference: number): number {
    return TOLERANCE * Math.max(1, Math.abs(reference));
  }

  private round(value: number): number {
    return Number(value.toPrecision(12)) + 0;
  }

  private format(value: number): string {
    return String(Number(value.toPrecision(6)) + 0);
  }
}
