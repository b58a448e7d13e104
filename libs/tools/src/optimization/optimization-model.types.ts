/** Structured linear / mixed-integer model, as callers send it (after schema validation). */
export type VariableType = 'continuous' | 'integer' | 'binary';

export type ObjectiveSense = 'minimize' | 'maximize';

export type ConstraintSense = '<=' | '>=' | '=';

export interface ModelVariable {
  name: string;
  type?: VariableType;
  /** Lower bound; omitted means 0, null means unbounded below. */
  lower?: number | null;
  /** Upper bound; omitted or null means unbounded above. */
  upper?: number | null;
}

export interface ModelConstraint {
  name: string;
  /** Variable name to coefficient. */
  terms: Record<string, number>;
  sense: ConstraintSense;
  rhs: number;
}

export interface ModelObjective {
  terms: Record<string, number>;
  constant?: number;
}

export interface SolveOptions {
  /** HiGHS' own time limit: it stops and reports `time_limit` with the best solution found. */
  timeLimitSeconds?: number;
  /** Relative MIP gap at which HiGHS may stop and report optimal. */
  mipGap?: number;
  presolve?: boolean;
}

export interface OptimizationModel {
  name?: string;
  sense: ObjectiveSense;
  variables: ModelVariable[];
  objective: ModelObjective;
  constraints: ModelConstraint[];
  options?: SolveOptions;
}

export interface LpTextModel {
  lp: string;
  options?: SolveOptions;
}

export type ModelInput = OptimizationModel | LpTextModel;

export type SolveStatus = 'optimal' | 'infeasible' | 'unbounded' | 'time_limit' | 'error';

/** What solve_optimization answers; the other tools build on it. */
export interface SolveResult {
  status: SolveStatus;
  /** HiGHS' own wording of the outcome, for diagnosis. */
  solverStatus: string;
  modelType: 'lp' | 'mip';
  objectiveValue: number | null;
  variables: Record<string, number>;
  /** Row activity (left-hand side value) per constraint. */
  activities: Record<string, number>;
  /** Distance from each constraint's activity to its nearest finite bound. */
  slacks: Record<string, number>;
  /** Shadow price per constraint: objective change per unit of right-hand side (LP only). */
  duals?: Record<string, number>;
  /** Reduced cost per variable (LP only). */
  reducedCosts?: Record<string, number>;
  solveTimeMs: number;
  solver: { name: 'HiGHS'; version: string };
}

export function isLpTextModel(model: ModelInput): model is LpTextModel {
  return typeof (model as LpTextModel).lp === 'string';
}
