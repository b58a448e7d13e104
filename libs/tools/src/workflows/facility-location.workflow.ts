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

export interface FacilityLocationInput {
  facilities: { name: string; fixedCost: number; capacity?: number }[];
  customers: { name: string; demand: number }[];
  /** Cost per unit served from a facility to a customer; missing pairs cannot be served. */
  serviceCosts: { facility: string; customer: string; costPerUnit: number }[];
}

const open = (facility: string): string => `open ${facility}`;
const serve = (facility: string, customer: string): string =>
  `serve ${JSON.stringify([facility, customer])}`;

/** Capacitated facility location: which sites to open and which customers each one serves. */
export class FacilityLocationWorkflow implements WorkflowTemplate<FacilityLocationInput> {
  readonly id = 'facility_location';
  readonly title = 'Facility location';
  readonly description =
    'Chooses which facilities (warehouses, depots, plants) to open, each with a fixed opening ' +
    'cost and an optional capacity, and which open facility serves each customer, so that all ' +
    'demand is met at the lowest total of fixed and per-unit service costs. Reports the open ' +
    'sites, the assignments and the cost split.';
  readonly inputSchema: JsonSchema = {
    type: 'object',
    required: ['facilities', 'customers', 'serviceCosts'],
    additionalProperties: false,
    properties: {
      facilities: listOf(['name', 'fixedCost'], {
        name: namedItemSchema,
        fixedCost: nonNegative,
        capacity: nonNegative,
      }),
      customers: listOf(['name', 'demand'], { name: namedItemSchema, demand: nonNegative }),
      serviceCosts: listOf(['facility', 'customer', 'costPerUnit'], {
        facility: namedItemSchema,
        customer: namedItemSchema,
        costPerUnit: businessValue,
      }),
    },
  };
  readonly exampleInput: FacilityLocationInput = {
    facilities: [
      { name: 'North', fixedCost: 100 },
      { name: 'Central', fixedCost: 120 },
      { name: 'South', fixedCost: 90 },
    ],
    customers: [
      { name: 'C1', demand: 20 },
      { name: 'C2', demand: 20 },
      { name: 'C3', demand: 20 },
    ],
    serviceCosts: [
      { facility: 'North', customer: 'C1', costPerUnit: 1 },
      { facility: 'North', customer: 'C2', costPerUnit: 2 },
      { facility: 'North', customer: 'C3', costPerUnit: 9 },
      { facility: 'Central', customer: 'C1', costPerUnit: 6 },
      { facility: 'Central', customer: 'C2', costPerUnit: 1 },
      { facility: 'Central', customer: 'C3', costPerUnit: 2 },
      { facility: 'South', customer: 'C1', costPerUnit: 9 },
      { facility: 'South', customer: 'C2', costPerUnit: 7 },
      { facility: 'South', customer: 'C3', costPerUnit: 1 },
    ],
  };

  check(input: FacilityLocationInput): FieldError[] {
    return [
      ...duplicateNameErrors(input.facilities, 'facilities'),
      ...duplicateNameErrors(input.customers, 'customers'),
      ...pairErrors(
        input.serviceCosts,
        'serviceCosts',
        [
          {
            field: 'facility',
            names: namesOf(input.facilities),
            message: 'is not one of the facilities',
          },
          {
            field: 'customer',
            names: namesOf(input.customers),
            message: 'is not one of the customers',
          },
        ],
        (item) => serve(item.facility, item.customer),
        'duplicates another pair',
      ),
    ];
  }

  build(input: FacilityLocationInput): OptimizationModel {
    const demandOf = new Map(input.customers.map((customer) => [customer.name, customer.demand]));
    const totalDemand = input.customers.reduce((sum, customer) => sum + customer.demand, 0);
    const model: OptimizationModel = {
      name: this.id,
      sense: 'minimize',
      variables: input.facilities.map((facility) => ({
        name: open(facility.name),
        type: 'binary' as const,
      })),
      objective: {
        terms: Object.fromEntries(
          input.facilities.map((facility) => [open(facility.name), facility.fixedCost]),
        ),
      },
      constraints: [],
    };
    for (const item of input.serviceCosts) {
      const demand = demandOf.get(item.customer) ?? 0;
      const flow = serve(item.facility, item.customer);
      model.variables.push({ name: flow, lower: 0, upper: demand });
      model.objective.terms[flow] = item.costPerUnit;
      // Per-pair links make the LP relaxation tight, so branch and bound has little to do.
      model.constraints.push({
        name: `serve only from open ${JSON.stringify([item.facility, item.customer])}`,
        terms: { [flow]: 1, [open(item.facility)]: -demand },
        sense: '<=',
        rhs: 0,
      });
    }
    const flowOf = (item: FacilityLocationInput['serviceCosts'][number]) =>
      serve(item.facility, item.customer);
    const servedTo = termsByKey(input.serviceCosts, (item) => item.customer, flowOf);
    const servedFrom = termsByKey(input.serviceCosts, (item) => item.facility, flowOf);
    for (const customer of input.customers) {
      model.constraints.push({
        name: `demand ${customer.name}`,
        sense: '=',
        rhs: customer.demand,
        terms: servedTo(customer.name),
      });
    }
    for (const facility of input.facilities) {
      const capacity = facility.capacity ?? totalDemand;
      model.constraints.push({
        name: `capacity ${facility.name}`,
        sense: '<=',
        rhs: 0,
        terms: { ...servedFrom(facility.name), [open(facility.name)]: -capacity },
      });
    }

    return model;
  }

  interpret(input: FacilityLocationInput, result: SolveResult): WorkflowAnswer {
    const opened = input.facilities.filter(
      (facility) => result.variables[open(facility.name)] > 0.5,
    );
    const assignments = pricedFlows(
      input.serviceCosts,
      result,
      (item) => serve(item.facility, item.customer),
      (item) => ({ customer: item.customer, facility: item.facility }),
    );
    const fixedCost = businessNumber(opened.reduce((sum, facility) => sum + facility.fixedCost, 0));
    const serviceCost = businessNumber(assignments.reduce((sum, item) => sum + item.cost, 0));
    const totalCost = businessNumber(result.objectiveValue ?? 0);
    const summary =
      `Open ${opened.map((facility) => facility.name).join(', ')}. ` +
      input.customers
        .map((customer) => {
          const from = assignments.filter((item) => item.customer === customer.name);
          if (from.length === 0) {
            return `${customer.name} needs no service.`;
          }

          return `${customer.name} is served by ${from.map((item) => (from.length > 1 ? `${item.facility} (${formatNumber(item.quantity)})` : item.facility)).join(' and ')}.`;
        })
        .join(' ') +
      ` Total cost ${formatNumber(totalCost)} (fixed ${formatNumber(fixedCost)}, service ${formatNumber(serviceCost)}).`;

    return {
      summary,
      answer: {
        totalCost,
        fixedCost,
        serviceCost,
        openFacilities: opened.map((facility) => facility.name),
        assignments,
      },
    };
  }
}
