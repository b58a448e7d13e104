import { FieldError } from '@app/common';
import { OptimizationModel, SolveResult } from '../optimization/optimization-model.types';
import { JsonSchema } from '../schemas/json-schema.types';
import { WorkflowAnswer, WorkflowTemplate } from './workflow-template.types';
import {
  businessNumber,
  businessValue,
  duplicateNameErrors,
  formatNumber,
  listOf,
  namedItemSchema,
  namesOf,
  nonNegative,
  pairErrors,
  pricedFlows,
  termsByKey,
} from './workflow.helpers';

export interface TransportationInput {
  sources: { name: string; supply: number }[];
  destinations: { name: string; demand: number }[];
  lanes: { from: string; to: string; costPerUnit: number; capacity?: number }[];
}

const ship = (from: string, to: string): string => `ship ${JSON.stringify([from, to])}`;

/** The classic transportation problem: cheapest shipments from supply points to demand points. */
export class TransportationWorkflow implements WorkflowTemplate<TransportationInput> {
  readonly id = 'transportation';
  readonly title = 'Transportation (distribution plan)';
  readonly description =
    'Decides how much to ship on each lane from sources (plants, warehouses) to destinations ' +
    '(customers, stores) so that every destination receives its demand without any source ' +
    'shipping more than its supply, at the lowest transport cost. Only listed lanes can be ' +
    'used; a lane may have a capacity. Reports the shipments, cost and unused supply.';
  readonly inputSchema: JsonSchema = {
    type: 'object',
    required: ['sources', 'destinations', 'lanes'],
    additionalProperties: false,
    properties: {
      sources: listOf(['name', 'supply'], { name: namedItemSchema, supply: nonNegative }),
      destinations: listOf(['name', 'demand'], { name: namedItemSchema, demand: nonNegative }),
      lanes: listOf(['from', 'to', 'costPerUnit'], {
        from: namedItemSchema,
        to: namedItemSchema,
        costPerUnit: businessValue,
        capacity: nonNegative,
      }),
    },
  };
  readonly exampleInput: TransportationInput = {
    sources: [
      { name: 'Plant A', supply: 20 },
      { name: 'Plant B', supply: 30 },
    ],
    destinations: [
      { name: 'Store X', demand: 10 },
      { name: 'Store Y', demand: 25 },
      { name: 'Store Z', demand: 15 },
    ],
    lanes: [
      { from: 'Plant A', to: 'Store X', costPerUnit: 2 },
      { from: 'Plant A', to: 'Store Y', costPerUnit: 4 },
      { from: 'Plant A', to: 'Store Z', costPerUnit: 5 },
      { from: 'Plant B', to: 'Store X', costPerUnit: 3 },
      { from: 'Plant B', to: 'Store Y', costPerUnit: 1 },
      { from: 'Plant B', to: 'Store Z', costPerUnit: 7 },
    ],
  };

  check(input: TransportationInput): FieldError[] {
    return [
      ...duplicateNameErrors(input.sources, 'sources'),
      ...duplicateNameErrors(input.destinations, 'destinations'),
      ...pairErrors(
        input.lanes,
        'lanes',
        [
          { field: 'from', names: namesOf(input.sources), message: 'is not one of the sources' },
          {
            field: 'to',
            names: namesOf(input.destinations),
            message: 'is not one of the destinations',
          },
        ],
        (lane) => ship(lane.from, lane.to),
        'duplicates another lane',
      ),
    ];
  }

  build(input: TransportationInput): OptimizationModel {
    const lane = (item: TransportationInput['lanes'][number]) => ship(item.from, item.to);
    const shippedFrom = termsByKey(input.lanes, (item) => item.from, lane);
    const shippedTo = termsByKey(input.lanes, (item) => item.to, lane);

    return {
      name: this.id,
      sense: 'minimize',
      variables: input.lanes.map((item) => ({
        name: lane(item),
        lower: 0,
        upper: item.capacity ?? null,
      })),
      objective: {
        terms: Object.fromEntries(input.lanes.map((item) => [lane(item), item.costPerUnit])),
      },
      constraints: [
        ...input.sources.map((source) => ({
          name: `supply ${source.name}`,
          sense: '<=' as const,
          rhs: source.supply,
          terms: shippedFrom(source.name),
        })),
        ...input.destinations.map((destination) => ({
          name: `demand ${destination.name}`,
          sense: '>=' as const,
          rhs: destination.demand,
          terms: shippedTo(destination.name),
        })),
      ],
    };
  }

  interpret(input: TransportationInput, result: SolveResult): WorkflowAnswer {
    const shipments = pricedFlows(
      input.lanes,
      result,
      (lane) => ship(lane.from, lane.to),
      (lane) => ({ from: lane.from, to: lane.to }),
    );
    const sources = input.sources.map((source) => {
      const shipped = businessNumber(result.activities[`supply ${source.name}`] ?? 0);

      return {
        source: source.name,
        supply: source.supply,
        shipped,
        unused: businessNumber(source.supply - shipped),
      };
    });
    const totalCost = businessNumber(result.objectiveValue ?? 0);
    const summary =
      `Ship ${shipments.map((item) => `${formatNumber(item.quantity)} from ${item.from} to ${item.to}`).join(', ')}` +
      ` for a total transport cost of ${formatNumber(totalCost)}.` +
      sources
        .filter((source) => source.unused > 0)
        .map((source) => ` ${source.source} keeps ${formatNumber(source.unused)} unused.`)
        .join('');

    return { summary, answer: { totalCost, shipments, sources } };
  }
}
