import { ModelVariable, OptimizationModel } from './optimization-model.types';

/** LP text plus the way back from its generated identifiers to the caller's names. */
export interface WrittenModel {
  lp: string;
  /** LP column name (x0, x1, ...) to the caller's variable name. */
  columns: Map<string, string>;
  /** LP row name (c0, c1, ...) to the caller's constraint name. */
  rows: Map<string, string>;
  integerColumns: Set<string>;
  objectiveConstant: number;
  isMip: boolean;
}

const TERMS_PER_LINE = 8;

/**
 * Writes a structured model as CPLEX LP text. Callers' names may hold any character, so the text
 * only ever uses generated identifiers (x<i> for variables, c<i> for constraints): nothing a
 * caller writes can break out of a section or inject LP syntax.
 */
export class LpModelWriter {
  write(model: OptimizationModel): WrittenModel {
    const columnOf = new Map<string, string>();
    const columns = new Map<string, string>();
    model.variables.forEach((variable, index) => {
      columnOf.set(variable.name, `x${index}`);
      columns.set(`x${index}`, variable.name);
    });

    const rows = new Map<string, string>();
    const lines: string[] = [model.sense === 'maximize' ? 'Maximize' : 'Minimize'];
    lines.push(...this.expression(' obj:', model.objective.terms, columnOf, false));

    lines.push('Subject To');
    model.constraints.forEach((constraint, index) => {
      const row = `c${index}`;
      rows.set(row, constraint.name);
      const expression = this.expression(` ${row}:`, constraint.terms, columnOf, true);
      expression[expression.length - 1] += ` ${constraint.sense} ${this.number(constraint.rhs)}`;
      lines.push(...expression);
    });

    lines.push('Bounds');
    const integerColumns = new Set<string>();
    const generals: string[] = [];
    const binaries: string[] = [];
    model.variables.forEach((variable, index) => {
      const column = `x${index}`;
      lines.push(` ${this.bounds(column, variable)}`);
      if (variable.type === 'integer') {
        generals.push(column);
        integerColumns.add(column);
      } else if (variable.type === 'binary') {
        binaries.push(column);
        integerColumns.add(column);
      }
    });
    lines.push(...this.section('Generals', generals), ...this.section('Binaries', binaries), 'End');

    return {
      lp: `${lines.join('\n')}\n`,
      columns,
      rows,
      integerColumns,
      objectiveConstant: model.objective.constant ?? 0,
      isMip: integerColumns.size > 0,
    };
  }

  private expression(
    label: string,
    terms: Record<string, number>,
    columnOf: Map<string, string>,
    needsTerm: boolean,
  ): string[] {
    const parts: string[] = [];
    for (const [name, coefficient] of Object.entries(terms)) {
      const column = columnOf.get(name);
      if (column !== undefined && coefficient !== 0) {
        parts.push(
          `${coefficient < 0 ? '-' : '+'} ${this.number(Math.abs(coefficient))} ${column}`,
        );
      }
    }
    // A constraint needs at least one term to parse; a zero term keeps an empty row meaningful.
    if (parts.length === 0 && needsTerm) {
      parts.push('0 x0');
    }

    const lines: string[] = [];
    for (let start = 0; start < parts.length; start += TERMS_PER_LINE) {
      lines.push(`   ${parts.slice(start, start + TERMS_PER_LINE).join(' ')}`);
    }
    if (lines.length === 0) {
      return [label];
    }
    lines[0] = `${label}${lines[0].slice(2)}`;

    return lines;
  }

  private bounds(column: string, variable: ModelVariable): string {
    let lower = variable.lower === undefined ? 0 : variable.lower;
    let upper = variable.upper ?? null;
    if (variable.type === 'binary') {
      lower = Math.max(lower ?? 0, 0);
      upper = Math.min(upper ?? 1, 1);
    }

    if (lower === null && upper === null) {
      return `${column} free`;
    }
    if (upper === null) {
      return `${column} >= ${this.number(lower as number)}`;
    }

    return `${lower === null ? '-inf' : this.number(lower)} <= ${column} <= ${this.number(upper)}`;
  }

  private section(title: string, columns: string[]): string[] {
    if (columns.length === 0) {
      return [];
    }

    const lines = [title];
    for (let start = 0; start < columns.length; start += TERMS_PER_LINE * 2) {
      lines.push(` ${columns.slice(start, start + TERMS_PER_LINE * 2).join(' ')}`);
    }

    return lines;
  }

  /** Plain decimal or exponent notation, both of which the HiGHS LP reader accepts. */
  private number(value: number): string {
    return Object.is(value, -0) ? '0' : String(value);
  }
}
