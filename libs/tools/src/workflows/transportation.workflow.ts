import { FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer';
import { OptimizationModel, SolveResult } from '../optimization/optimization-model.types';
import { JsonSchema } from '../schemas/json-schema';
import { WorkflowAnswer, WorkflowTemplate } from './workflow-template';
import {
  businessNumber,
  duplicateNameErrors,
  formatNumber,
  namedItemSchema,
  nonNegative,
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
      sources: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name', 'supply'],
          additionalProperties: false,
          properties: { name: namedItemSchema, supply: nonNegative },
        },
      },
      destinations: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name', 'demand'],
          additionalProperties: false,
          properties: { name: namedItemSchema, demand: nonNegative },
        },
      },
      lanes: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['from', 'to', 'costPerUnit'],
          additionalProperties: false,
          properties: {
            from: namedItemSchema,
            to: namedItemSchema,
            costPerUnit: { type: 'number' },
            capacity: nonNegative,
          },
        },
      },
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
    const errors = [
      ...duplicateNameErrors(input.sources, 'sources'),
      ...duplicateNameErrors(input.destinations, 'destinations'),
    ];
    const sources = new Set(input.sources.map((source) => source.name));
    const destinations = new Set(input.destinations.map((destination) => destination.name));
    const lanes = new Set<string>();
    input.lanes.forEach((lane, index) => {
      if (!sources.has(lane.from)) {
        errors.push({
          field: childPointer('', 'lanes', index, 'from'),
          message: 'is not one of the sources',
        });
      }
      if (!destinations.has(lane.to)) {
        errors.push({
          field: childPointer('', 'lanes', index, 'to'),
          message: 'is not one of the destinations',
        });
      }
      const key = ship(lane.from, lane.to);
      if (lanes.has(key)) {
        errors.push({
          field: childPointer('', 'lanes', index),
          message: 'duplicates another lane',
        });
      }
      lanes.add(key);
    });

    return errors;
  }

  build(input: TransportationInput): OptimizationModel {
    return {
      name: this.id,
      sense: 'minimize',
      variables: input.lanes.map((lane) => ({
        name: ship(lane.from, lane.to),
        lower: 0,
        upper: lane.capacity ?? null,
      })),
      objective: {
        terms: Object.fromEntries(
          input.lanes.map((lane) => [ship(lane.from, lane.to), lane.costPerUnit]),
        ),
      },
      constraints: [
        ...input.sources.map((source) => ({
          name: `supply ${source.name}`,
          sense: '<=' as const,
          rhs: source.supply,
          terms: Object.fromEntries(
            input.lanes
              .filter((lane) => lane.from === source.name)
              .map((lane) => [ship(lane.from, lane.to), 1]),
          ),
        })),
        ...input.destinations.map((destination) => ({
          name: `demand ${destination.name}`,
          sense: '>=' as const,
          rhs: destination.demand,
          terms: Object.fromEntries(
            input.lanes
              .filter((lane) => lane.to === destination.name)
              .map((lane) => [ship(lane.from, lane.to), 1]),
          ),
        })),
      ],
    };
  }

  interpret(input: TransportationInput, result: SolveResult): WorkflowAnswer {
    const shipments = input.lanes
      .map((lane) => {
        const quantity = businessNumber(result.variables[ship(lane.from, lane.to)]);

        return {
          from: lane.from,
          to: lane.to,
          quantity,
          cost: businessNumber(quantity * lane.costPerUnit),
        };
      })
      .filter((shipment) => shipment.quantity > 0);
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
