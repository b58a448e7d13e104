import { AppException, FieldError } from '@app/common';
import { SOLVER_NUMBER_LIMIT } from '../schemas/model.schema';
import { ModelSize } from '../solver/solver-task.types';
import { childPointer } from './json-pointer.util';
import { OptimizationModel, SolveResult } from './optimization-model.types';

/** The section headers the CPLEX LP format accepts for an objective. */
const LP_OBJECTIVE_SECTION = /^\s*(maximi[sz]e|maximum|max|minimi[sz]e|minimum|min)\b/im;

export interface ModelLimits {
  maxVariables: number;
  maxConstraints: number;
  maxLpLength: number;
}

/**
 * The checks JSON Schema cannot express: names are unique, every term refers to a declared
 * variable, bounds do not cross, and numbers stay in the solver's range (models built by
 * workflows never pass through the schema). All problems are collected so the caller can fix
 * them in one go.
 */
export class ModelChecker {
  check(model: OptimizationModel, path = ''): FieldError[] {
    const errors: FieldError[] = [];
    const inRange = (value: number | null | undefined, ...segments: (string | number)[]) => {
      // NaN compares false with everything, so only isFinite keeps it (and infinities) out.
      if (
        typeof value === 'number' &&
        (!Number.isFinite(value) || Math.abs(value) > SOLVER_NUMBER_LIMIT)
      ) {
        errors.push({
          field: childPointer(path, ...segments),
          message: `must be within ±${SOLVER_NUMBER_LIMIT}`,
        });
      }
    };
    const declared = new Map<string, number>();
    model.variables.forEach((variable, index) => {
      inRange(variable.lower, 'variables', index, 'lower');
      inRange(variable.upper, 'variables', index, 'upper');
      const first = declared.get(variable.name);
      if (first !== undefined) {
        errors.push({
          field: childPointer(path, 'variables', index, 'name'),
          message: `duplicates the name of ${childPointer(path, 'variables', first)}`,
        });
      } else {
        declared.set(variable.name, index);
      }
      const lower = variable.lower === undefined ? 0 : variable.lower;
      if (lower !== null && variable.upper !== undefined && variable.upper !== null) {
        if (lower > variable.upper) {
          errors.push({
            field: childPointer(path, 'variables', index),
            message: `lower bound ${lower} exceeds upper bound ${variable.upper}`,
          });
        }
      }
    });

    inRange(model.objective.constant, 'objective', 'constant');
    for (const [name, coefficient] of Object.entries(model.objective.terms)) {
      inRange(coefficient, 'objective', 'terms', name);
      if (!declared.has(name)) {
        errors.push({
          field: childPointer(path, 'objective', 'terms', name),
          message: 'refers to an undeclared variable',
        });
      }
    }

    const constraintNames = new Map<string, number>();
    model.constraints.forEach((constraint, index) => {
      const first = constraintNames.get(constraint.name);
      if (first !== undefined) {
        errors.push({
          field: childPointer(path, 'constraints', index, 'name'),
          message: `duplicates the name of ${childPointer(path, 'constraints', first)}`,
        });
      } else {
        constraintNames.set(constraint.name, index);
      }
      inRange(constraint.rhs, 'constraints', index, 'rhs');
      for (const [name, coefficient] of Object.entries(constraint.terms)) {
        inRange(coefficient, 'constraints', index, 'terms', name);
        if (!declared.has(name)) {
          errors.push({
            field: childPointer(path, 'constraints', index, 'terms', name),
            message: 'refers to an undeclared variable',
          });
        }
      }
    });

    return errors;
  }

  /** Throws 400 with every problem found. */
  assertValid(model: OptimizationModel, path = ''): void {
    const errors = this.check(model, path);
    if (errors.length > 0) {
      throw new AppException('tool_input_invalid', 'The model is inconsistent', { errors });
    }
  }

  /** Throws 400 when LP text has no objective section, which HiGHS would read as empty. */
  assertLpObjective(lp: string, path = ''): void {
    if (!LP_OBJECTIVE_SECTION.test(lp)) {
      throw this.lpInvalid(path, 'has no Maximize or Minimize section');
    }
  }

  /** Throws 400 when HiGHS read no variable at all from LP text. */
  assertLpHasVariables(result: SolveResult, path = ''): void {
    if (result.status === 'optimal' && Object.keys(result.variables).length === 0) {
      throw this.lpInvalid(path, 'declares no variable: check its sections and End line');
    }
  }

  /** Throws 413 before any text is built or sent to a worker. */
  assertWithinLimits(model: OptimizationModel, limits: ModelLimits): void {
    this.assertSize(
      { variables: model.variables.length, constraints: model.constraints.length },
      limits,
    );
  }

  /** Throws 413 when a model, however it was counted, has too many variables or constraints. */
  assertSize(size: ModelSize, limits: ModelLimits): void {
    if (size.variables > limits.maxVariables) {
      throw this.tooLarge('variables', size.variables, limits.maxVariables);
    }
    if (size.constraints > limits.maxConstraints) {
      throw this.tooLarge('constraints', size.constraints, limits.maxConstraints);
    }
  }

  assertLpLength(lp: string, limits: ModelLimits): void {
    if (lp.length > limits.maxLpLength) {
      throw this.tooLarge('lpLength', lp.length, limits.maxLpLength);
    }
  }

  private lpInvalid(path: string, message: string): AppException {
    return new AppException('tool_input_invalid', 'The LP text is not a usable model', {
      errors: [{ field: childPointer(path, 'lp'), message }],
    });
  }

  private tooLarge(dimension: string, actual: number, limit: number): AppException {
    return new AppException(
      'model_too_large',
      `The model has ${actual} ${dimension === 'lpLength' ? 'characters of LP text' : dimension}, over the limit of ${limit}`,
      { extensions: { dimension, actual, limit } },
    );
  }
}
