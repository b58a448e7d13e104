import { FieldError } from '@app/common';
import { OptimizationModel, SolveResult } from '../optimization/optimization-model.types';
import { JsonSchema } from '../schemas/json-schema.types';

export interface WorkflowAnswer {
  summary: string;
  answer: Record<string, unknown>;
}

/**
 * A ready-made decision model: business inputs in, a model built from them, and the solver's
 * answer read back in business terms. Templates are pure and cheap; only the solve is costly.
 */
export interface WorkflowTemplate<Input = unknown> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly exampleInput: Input;
  /** Cross-references the schema cannot check; pointers are relative to the inputs. */
  check(input: Input): FieldError[];
  build(input: Input): OptimizationModel;
  /** Called only when the solve produced values (optimal or best found). */
  interpret(input: Input, result: SolveResult): WorkflowAnswer;
}
