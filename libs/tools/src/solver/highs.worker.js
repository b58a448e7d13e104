// @ts-check
'use strict';

/**
 * Piscina worker that solves CPLEX LP text with HiGHS (WebAssembly). It is deliberately tiny and
 * plain JavaScript so that it runs unchanged from source (jest) and from dist (nest build): every
 * model building and result mapping step happens in TypeScript on the main thread.
 */
const { performance } = require('node:perf_hooks');
const loadHighs = require('highs');

/**
 * @typedef {{
 *   lp: string,
 *   options: Record<string, string | number | boolean>,
 *   limits?: { maxVariables: number, maxConstraints: number },
 * }} SolverTask
 */
/** @typedef {{ variables: number, constraints: number }} ModelSize */
/**
 * @typedef {{ ok: true, solution: unknown, version: string, solveTimeMs: number }
 *   | { ok: false, error: string, version: string | null, oversize?: ModelSize }} SolverTaskResult
 */

/** @type {Promise<any> | undefined} */
let instance;

/** Loads HiGHS once per thread; the WASM module takes tens of milliseconds to start. */
function highs() {
  if (instance === undefined) {
    instance = loadHighs();
    // A failed load must not poison the thread: the next task tries again.
    instance.catch(() => {
      instance = undefined;
    });
  }

  return instance;
}

// Start loading as soon as the thread starts rather than on its first task: compiling the WASM
// module while another thread is solving can take seconds, which a waiting request should not pay.
highs().catch(() => undefined);

/**
 * highs-js keys `Columns` by name with a plain assignment, so a column named `__proto__` becomes
 * the object's prototype instead of an entry. A list in index order keeps every column.
 *
 * @param {Record<string, { Index: number }>} columns
 */
function columnList(columns) {
  const list = Object.values(columns);
  const hidden = Object.getPrototypeOf(columns);
  if (hidden !== null && hidden !== Object.prototype && typeof hidden.Index === 'number') {
    list.push(hidden);
  }

  return list.sort((a, b) => a.Index - b.Index);
}

/**
 * Reads LP text into a throwaway HiGHS model, without solving it, and answers its size when
 * that is over the limits. Columns include variables named only in Bounds or integer sections,
 * which no count of the text's own could tell apart reliably.
 *
 * @param {any} solver
 * @param {string} lp
 * @param {{ maxVariables: number, maxConstraints: number }} limits
 * @returns {ModelSize | undefined}
 */
function oversized(solver, lp, limits) {
  /** @type {{ numCols: number, numRows: number }} */
  const dimensions = solver.withModel({ format: 'lp', data: lp }, (/** @type {any} */ model) =>
    model.getDimensions(),
  );
  if (dimensions.numCols <= limits.maxVariables && dimensions.numRows <= limits.maxConstraints) {
    return undefined;
  }

  return { variables: dimensions.numCols, constraints: dimensions.numRows };
}

/**
 * @param {SolverTask} task
 * @returns {Promise<SolverTaskResult>}
 */
module.exports = async function solve(task) {
  const solver = await highs();
  const version = solver.version && solver.version.string ? String(solver.version.string) : null;

  try {
    const oversize =
      task.limits === undefined ? undefined : oversized(solver, task.lp, task.limits);
    if (oversize !== undefined) {
      return { ok: false, error: 'model too large', version, oversize };
    }

    const started = performance.now();
    const solution = solver.solve(task.lp, { output_flag: false, ...task.options });

    return {
      ok: true,
      solution: { ...solution, Columns: columnList(solution.Columns) },
      version: version ?? 'unknown',
      solveTimeMs: performance.now() - started,
    };
  } catch (error) {
    // highs-js can leave its WASM heap unusable after an abort (for example on unreadable LP
    // text), so the next task in this thread gets a fresh instance.
    instance = undefined;

    return { ok: false, error: error instanceof Error ? error.message : String(error), version };
  }
};
