import { RawHighsColumn, RawHighsRow, RawHighsSolution } from '../solver/solver-task.types';
import { nameMap } from './name-map.util';
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
/** Relative to the bound, as HiGHS' own primal and MIP feasibility tolerances are. */
const FEASIBILITY_TOLERANCE = 1e-6;

/** Turns HiGHS' raw answer into our output, in the caller's names and with float noise removed. */
export class SolutionMapper {
  map(
    raw: RawHighsSolution,
    meta: { version: string; solveTimeMs: number },
    mapping?: NameMapping,
  ): SolveResult {
    const columns = raw.Columns;
    const integerColumns =
      mapping?.integerColumns ??
      new Set(columns.filter((column) => column.Type === 'Integer').map((column) => column.Name));
    const isMip = mapping?.isMip ?? integerColumns.size > 0;
    const status = STATUS_MAP[raw.Status] ?? 'error';
    const hasPrimal =
      (status === 'optimal' || status === 'time_limit') &&
      columns.every((column) => this.isNumber(column.Primal)) &&
      (status === 'optimal' || this.hasIncumbent(raw, integerColumns));

    const result: SolveResult = {
      status,
      solverStatus: raw.Status,
      modelType: isMip ? 'mip' : 'lp',
      objectiveValue:
        hasPrimal && Number.isFinite(raw.ObjectiveValue)
          ? this.clean(raw.ObjectiveValue + (mapping?.objectiveConstant ?? 0))
          : null,
      variables: nameMap(),
      activities: nameMap(),
      slacks: nameMap(),
      solveTimeMs: Math.round(meta.solveTimeMs * 1000) / 1000,
      solver: { name: 'HiGHS', version: meta.version },
    };
    if (!hasPrimal) {
      return result;
    }

    const withDuals = !isMip && status === 'optimal';
    const reducedCosts = nameMap<number>();
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

    const duals = nameMap<number>();
    raw.Rows.forEach((row, index) => {
      const lpName = row.Name ?? `r${index}`;
      const name = mapping?.rows.get(lpName) ?? lpName;
      if (!this.isNumber(row.Primal)) {
        return;
      }
      const activity = this.clean(row.Primal);
      result.activities[name] = activity;
      // From the cleaned activity, so a row met exactly shows 0, not -4.5e-13.
      const slack = this.slack(row, activity);
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

  /**
   * Whether values stopped at a time or iteration limit are a plan. HiGHS still fills in values
   * when it found none (a MIP without an incumbent reports an infinite objective and zeros that
   * break the constraints), so they count only with a finite objective and every bound, row and
   * integrality met.
   */
  private hasIncumbent(raw: RawHighsSolution, integerColumns: Set<string>): boolean {
    if (!Number.isFinite(raw.ObjectiveValue)) {
      return false;
    }

    const columnsFit = raw.Columns.every(
      (column) =>
        this.withinBounds(column.Primal as number, column) &&
        (!integerColumns.has(column.Name) ||
          Math.abs((column.Primal as number) - Math.round(column.Primal as number)) <=
            INTEGRALITY_TOLERANCE),
    );

    return columnsFit && raw.Rows.every((row) => this.withinBounds(row.Primal, row));
  }

  private withinBounds(
    value: number | null | undefined,
    bounds: Pick<RawHighsColumn | RawHighsRow, 'Lower' | 'Upper'>,
  ): boolean {
    if (!this.isNumber(value)) {
      return false;
    }

    const tolerance = (bound: number) => FEASIBILITY_TOLERANCE * Math.max(1, Math.abs(bound));
    const lowerOk = !this.isNumber(bounds.Lower) || value >= bounds.Lower - tolerance(bounds.Lower);
    const upperOk = !this.isNumber(bounds.Upper) || value <= bounds.Upper + tolerance(bounds.Upper);

    return lowerOk && upperOk;
  }

  /** Distance to the nearest finite side (an equality row has slack 0); null for a free row. */
  private slack(row: RawHighsRow, activity: number): number | null {
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
