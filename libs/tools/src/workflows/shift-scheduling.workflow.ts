import { FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer.util';
import { OptimizationModel, SolveResult } from '../optimization/optimization-model.types';
import { JsonSchema } from '../schemas/json-schema.types';
import { SOLVER_NUMBER_LIMIT } from '../schemas/model.schema';
import { WorkflowAnswer, WorkflowTemplate } from './workflow-template.types';
import {
  businessNumber,
  duplicateNameErrors,
  formatNumber,
  listOf,
  namedItemSchema,
  nonNegative,
  termsByKey,
} from './workflow.helpers';

/** Whole workers, capped like every other model number. */
const headcount = { type: 'integer', minimum: 0, maximum: SOLVER_NUMBER_LIMIT } as const;

export interface ShiftSchedulingInput {
  periods: { name: string; requiredStaff: number }[];
  shifts: { name: string; costPerWorker: number; covers: string[]; maxWorkers?: number }[];
}

/** Workforce shift scheduling: the cheapest number of people per shift covering every period. */
export class ShiftSchedulingWorkflow implements WorkflowTemplate<ShiftSchedulingInput> {
  readonly id = 'shift_scheduling';
  readonly title = 'Workforce shift scheduling';
  readonly description =
    'Decides how many people to put on each shift so that every period of the day (or week) ' +
    'has at least its required staff, at the lowest wage cost. A shift covers one or more ' +
    'periods and may have a maximum headcount. Reports the roster, its cost and the coverage ' +
    'of every period.';
  readonly inputSchema: JsonSchema = {
    type: 'object',
    required: ['periods', 'shifts'],
    additionalProperties: false,
    properties: {
      periods: listOf(['name', 'requiredStaff'], {
        name: namedItemSchema,
        requiredStaff: { ...headcount },
      }),
      shifts: listOf(['name', 'costPerWorker', 'covers'], {
        name: namedItemSchema,
        costPerWorker: nonNegative,
        covers: { type: 'array', minItems: 1, uniqueItems: true, items: namedItemSchema },
        maxWorkers: { ...headcount },
      }),
    },
  };
  readonly exampleInput: ShiftSchedulingInput = {
    periods: [
      { name: 'Morning', requiredStaff: 4 },
      { name: 'Afternoon', requiredStaff: 6 },
      { name: 'Night', requiredStaff: 2 },
    ],
    shifts: [
      { name: 'Early', costPerWorker: 100, covers: ['Morning', 'Afternoon'] },
      { name: 'Late', costPerWorker: 120, covers: ['Afternoon', 'Night'] },
      { name: 'Night only', costPerWorker: 80, covers: ['Night'] },
    ],
  };

  check(input: ShiftSchedulingInput): FieldError[] {
    const errors = [
      ...duplicateNameErrors(input.periods, 'periods'),
      ...duplicateNameErrors(input.shifts, 'shifts'),
    ];
    const periods = new Set(input.periods.map((period) => period.name));
    input.shifts.forEach((shift, index) => {
      shift.covers.forEach((period, coverIndex) => {
        if (!periods.has(period)) {
          errors.push({
            field: childPointer('', 'shifts', index, 'covers', coverIndex),
            message: 'is not one of the periods',
          });
        }
      });
    });

    return errors;
  }

  build(input: ShiftSchedulingInput): OptimizationModel {
    const covers = input.shifts.flatMap((shift) =>
      shift.covers.map((period) => ({ period, shift: shift.name })),
    );
    const coveredBy = termsByKey(
      covers,
      (cover) => cover.period,
      (cover) => cover.shift,
    );

    return {
      name: this.id,
      sense: 'minimize',
      variables: input.shifts.map((shift) => ({
        name: shift.name,
        type: 'integer',
        lower: 0,
        upper: shift.maxWorkers ?? null,
      })),
      objective: {
        terms: Object.fromEntries(input.shifts.map((shift) => [shift.name, shift.costPerWorker])),
      },
      constraints: input.periods.map((period) => ({
        name: period.name,
        sense: '>=' as const,
        rhs: period.requiredStaff,
        terms: coveredBy(period.name),
      })),
    };
  }

  interpret(input: ShiftSchedulingInput, result: SolveResult): WorkflowAnswer {
    const roster = input.shifts.map((shift) => {
      const workers = businessNumber(result.variables[shift.name]);

      return { shift: shift.name, workers, cost: businessNumber(workers * shift.costPerWorker) };
    });
    const coverage = input.periods.map((period) => {
      const scheduled = businessNumber(result.activities[period.name] ?? 0);

      return {
        period: period.name,
        required: period.requiredStaff,
        scheduled,
        surplus: businessNumber(scheduled - period.requiredStaff),
      };
    });
    const totalCost = businessNumber(result.objectiveValue ?? 0);
    const totalWorkers = roster.reduce((sum, item) => sum + item.workers, 0);
    const staffed = roster.filter((item) => item.workers > 0);
    const over = coverage.filter((item) => item.surplus > 0);
    const summary = [
      `Schedule ${staffed.map((item) => `${formatNumber(item.workers)} on ${item.shift}`).join(', ') || 'nobody'}: ` +
        `${formatNumber(totalWorkers)} people for a total cost of ${formatNumber(totalCost)}.`,
      over.length > 0
        ? `Overstaffed periods (unavoidable with these shifts): ${over.map((item) => `${item.period} +${formatNumber(item.surplus)}`).join(', ')}.`
        : 'Every period is staffed exactly to its requirement.',
    ].join(' ');

    return { summary, answer: { totalCost, totalWorkers, roster, coverage } };
  }
}
