import { AppException, FieldError } from '@app/common';
import { childPointer } from './json-pointer';
import { OptimizationModel } from './optimization-model.types';

export interface ModelLimits {
  maxVariables: number;
  maxConstraints: number;
  maxLpLength: number;
}

/**
 * The checks JSON Schema cannot express: names are unique and every term refers to a declared
 * variable. All problems are collected so the caller can fix them in one go.
 */
export class ModelChecker {
  check(model: OptimizationModel, path = ''): FieldError[] {
    const errors: FieldError[] = [];
    const declared = new Map<string, number>();
    model.variables.forEach((variable, index) => {
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

    for (const name of Object.keys(model.objective.terms)) {
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
      for (const name of Object.keys(constraint.terms)) {
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

  /** Throws 413 before any text is built or sent to a worker. */
  assertWithinLimits(model: OptimizationModel, limits: ModelLimits): void {
    if (model.variables.length > limits.maxVariables) {
      throw this.tooLarge('variables', model.variables.length, limits.maxVariables);
    }
    if (model.constraints.length > limits.maxConstraints) {
      throw this.tooLarge('constraints', model.constraints.length, limits.maxConstraints);
    }
  }

  assertLpLength(lp: string, limits: ModelLimits): void {
    if (lp.length > limits.maxLpLength) {
      throw this.tooLarge('lpLength', lp.length, limits.maxLpLength);
    }
  }

  private tooLarge(dimension: string, actual: number, limit: number): AppException {
    return new AppException(
      'model_too_large',
      `The model has ${actual} ${dimension === 'lpLength' ? 'characters of LP text' : dimension}, over the limit of ${limit}`,
      { extensions: { dimension, actual, limit } },
    );
  }
}
