import { OptimizationModel, SolveStatus } from '../optimization/optimization-model.types';

export type ChangeKind = 'rhs' | 'objective' | 'lower' | 'upper';

export type RandomDraw =
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'normal'; mean: number; stdDev: number };

export interface ScenarioChange {
  kind: ChangeKind;
  /** A constraint name for rhs, a variable name otherwise. */
  target: string;
  op?: 'set' | 'add' | 'multiply';
  value?: number;
  random?: RandomDraw;
}

export interface Scenario {
  name: string;
  changes: ScenarioChange[];
}

export interface SimulateInput {
  model: OptimizationModel;
  seed?: number;
  scenarios: Scenario[];
}

export interface AppliedChange {
  kind: ChangeKind;
  target: string;
  from: number | null;
  to: number | null;
  drawn?: number;
}

export interface ScenarioOutcome {
  name: string;
  status: SolveStatus;
  objectiveValue: number | null;
  objectiveChange: number | null;
  appliedChanges: AppliedChange[];
  changedDecisions: { variable: string; baseline: number | null; scenario: number | null }[];
}

export interface SimulationReport {
  seed: number;
  baseline: { status: SolveStatus; objectiveValue: number | null };
  scenarios: ScenarioOutcome[];
  /** Side by side: every decision that changes in at least one scenario. */
  decisions: {
    variable: string;
    baseline: number | null;
    scenarios: Record<string, number | null>;
  }[];
}
