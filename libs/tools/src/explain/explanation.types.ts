import { ConstraintSense, SolveStatus } from '../optimization/optimization-model.types';

export interface ConstraintExplanation {
  name: string;
  sense: ConstraintSense;
  rhs: number;
  activity: number;
  slack: number;
  binding: boolean;
  /** Objective change per extra unit of right-hand side (continuous optimal models only). */
  shadowPrice?: number;
  explanation: string;
}

export interface BoundExplanation {
  name: string;
  value: number;
  bound: 'lower' | 'upper' | 'fixed';
  reducedCost?: number;
  explanation: string;
}

export interface Explanation {
  status: SolveStatus;
  objectiveValue: number | null;
  summary: string;
  bindingConstraints: ConstraintExplanation[];
  nonBindingConstraints: ConstraintExplanation[];
  variablesAtBounds: BoundExplanation[];
  notes: string[];
}

/** The parts of a solve_optimization answer the explainer reads. */
export interface SolutionInput {
  status: SolveStatus;
  objectiveValue?: number | null;
  variables: Record<string, number>;
  duals?: Record<string, number>;
  reducedCosts?: Record<string, number>;
  modelType?: 'lp' | 'mip';
}
