/** Message shapes exchanged with `highs.worker.js`; keep them in step with its JSDoc. */
export interface SolverTask {
  lp: string;
  options: Record<string, string | number | boolean>;
}

export type SolverTaskResult =
  | { ok: true; solution: RawHighsSolution; version: string; solveTimeMs: number }
  | { ok: false; error: string; version: string | null };

/** The subset of highs-js' legacy solution we read. Values are absent when no solution exists. */
export interface RawHighsSolution {
  Status: string;
  ObjectiveValue: number;
  /** In index order; the worker turns highs-js' name-keyed object into this list. */
  Columns: RawHighsColumn[];
  Rows: RawHighsRow[];
}

export interface RawHighsColumn {
  Index: number;
  Name: string;
  Lower: number | null;
  Upper: number | null;
  Type?: 'Integer' | 'Continuous';
  Primal?: number | null;
  Dual?: number | null;
}

export interface RawHighsRow {
  Index: number;
  Name?: string;
  Lower: number | null;
  Upper: number | null;
  Primal?: number | null;
  Dual?: number | null;
}
