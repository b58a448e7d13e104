/** Message shapes exchanged with `highs.worker.js`; keep them in step with its JSDoc. */
export interface SolverTask {
  lp: string;
  options: Record<string, string | number | boolean>;
  /**
   * Set for LP text, whose size only HiGHS' reader can tell: the worker reads the model and
   * solves it only when it has at most this many columns and rows.
   */
  limits?: { maxVariables: number; maxConstraints: number };
}

/** Columns and rows of a model the worker refused to solve for its size. */
export interface ModelSize {
  variables: number;
  constraints: number;
}

export type SolverTaskResult =
  | { ok: true; solution: RawHighsSolution; version: string; solveTimeMs: number }
  | { ok: false; error: string; version: string | null; oversize?: ModelSize };

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
