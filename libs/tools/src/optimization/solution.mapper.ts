import { RawHighsRow, RawHighsSolution } from '../solver/solver-task.types';
import { SolveResult, SolveStatus } from './optimization-model.types';

/** How LP identifiers map back to the caller's names; absent for caller-written LP text. */
export interface NameMapping {
  columns: Map<string, string>;
  rows: Map<string, string>;
  integerColumns: Set<string>;
  objectiveConstant: number;
  isMip: boolean;
}

const STATUS_MAP: Record<string, SolveStatus> = {
  Optimal: 'optimal',
  Empty: 'optimal',
  Infeasible: 'infeasible',
  Unbounded: 'unbounded',
  'Time limit reached': 'time_limit',
  'Iteration limit reached': 'time_limit',
};

const INTEGRALITY_TOLERANCE = 1e-6;

/** Turns HiGHS' raw answer into our output, in the caller's names and with float noise removed. */
export class SolutionMapper {
  map(
    raw: RawHighsSolution,
    meta: { version: string; solveTimeMs: number },
    mapping?: NameMapping,
  ): SolveResult {
    const columns = Object.values(raw.Columns);
    const integerColumns =
      mapping?.integerColumns ??
      new Set(columns.filter((column) => column.Type === 'Integer').map((column) => column.Name));
    const isMip = mapping?.isMip ?? integerColumns.size > 0;
    const status = STATUS_MAP[raw.Status] ?? 'error';
    const hasPrimal =
      (status === 'optimal' || status === 'time_limit') &&
      columns.every((column) => this.isNumber(column.Primal));

    const result: SolveResult = {
      status,
      solverStatus: raw.Status,
      modelType: isMip ? 'mip' : 'lp',
      objectiveValue:
        hasPrimal && Number.isFinite(raw.ObjectiveValue)
          ? this.clean(raw.ObjectiveValue + (mapping?.objectiveConstant ?? 0))
          : null,
      variables: {},
      activities: {},
      slacks: {},
      solveTimeMs: Math.round(meta.solveTimeMs * 1000) / 1000,
      solver: { name: 'HiGHS', version: meta.version },
    };
    if (!hasPrimal) {
      return result;
    }

    const withDuals = !isMip && status === 'optimal';
    const reducedCosts: Record<string, number> = {};
    for (const column of columns) {
      const name = mapping?.columns.get(column.Name) ?? column.Name;
      const value = column.Primal as number;
      result.variables[name] = integerColumns.has(column.Name)
        ? this.integral(value)
        : this.clean(value);
      if (withDuals && this.isNumber(column.Dual)) {
        reducedCosts[name] = this.clean(column.Dual);
      }
    }

    const duals: Record<string, number> = {};
    raw.Rows.forEach((row, index) => {
      const lpName = row.Name ?? `r${index}`;
      const name = mapping?.rows.get(lpName) ?? lpName;
      if (!this.isNumber(row.Primal)) {
        return;
      }
      result.activities[name] = this.clean(row.Primal);
      const slack = this.slack(row);
      if (slack !== null) {
        result.slacks[name] = this.clean(slack);
      }
      if (withDuals && this.isNumber(row.Dual)) {
        duals[name] = this.clean(row.Dual);
      }
    });
    if (withDuals) {
      result.duals = duals;
      result.reducedCosts = reducedCosts;
    }

    return result;
  }

  /** Distance to the nearest finite side (an equality row has slack 0); null for a free row. */
  private slack(row: RawHighsRow): number | null {
    const activity = row.Primal as number;
    const distances: number[] = [];
    if (this.isNumber(row.Upper) && Number.isFinite(row.Upper)) {
      distances.push(row.Upper - activity);
    }
    if (this.isNumber(row.Lower) && Number.isFinite(row.Lower)) {
      distances.push(activity - row.Lower);
    }

    return distances.length === 0 ? null : Math.min(...distances);
  }

  private integral(value: number): number {
    const rounded = Math.round(value);

    return Math.abs(value - rounded) <= INTEGRALITY_TOLERANCE ? rounded + 0 : this.clean(value);
  }

  /** Twelve significant digits drop binary noise such as 0.30000000000000004, and -0 becomes 0. */
  private clean(value: number): number {
    if (!Number.isFinite(value)) {
      return value;
    }

    return Number(value.toPrecision(12)) + 0;
  }

  private isNumber(value: number | null | undefined): value is number {
    return typeof value === 'number' && !Number.isNaN(value);
  }
}
