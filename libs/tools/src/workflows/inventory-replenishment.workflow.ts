import { FieldError } from '@app/common';
import { OptimizationModel, SolveResult } from '../optimization/optimization-model.types';
import { JsonSchema } from '../schemas/json-schema.types';
import { WorkflowAnswer, WorkflowTemplate } from './workflow-template.types';
import {
  businessNumber,
  duplicateNameErrors,
  formatNumber,
  listOf,
  namedItemSchema,
  nonNegative,
} from './workflow.helpers';

export interface InventoryReplenishmentInput {
  item?: string;
  initialInventory?: number;
  orderingCost: number;
  holdingCost: number;
  unitCost?: number;
  orderCapacity?: number;
  periods: { name: string; demand: number }[];
}

const order = (period: string): string => `order ${period}`;
const place = (period: string): string => `place order ${period}`;
const stock = (period: string): string => `stock end of ${period}`;

/**
 * Multi-period lot sizing (Wagner-Whitin with optional order capacity): when to order and how
 * much, trading fixed ordering costs against the cost of holding stock.
 */
export class InventoryReplenishmentWorkflow implements WorkflowTemplate<InventoryReplenishmentInput> {
  readonly id = 'inventory_replenishment';
  readonly title = 'Inventory replenishment (lot sizing)';
  readonly description =
    'Plans when to place replenishment orders and how much to order so that demand in every ' +
    'period is met from stock, at the lowest total of fixed ordering costs, purchase costs and ' +
    'holding costs on stock left at the end of each period. Orders may be capped. Reports the ' +
    'order schedule, the stock profile and the cost breakdown.';
  readonly inputSchema: JsonSchema = {
    type: 'object',
    required: ['orderingCost', 'holdingCost', 'periods'],
    additionalProperties: false,
    properties: {
      item: namedItemSchema,
      initialInventory: nonNegative,
      orderingCost: { ...nonNegative, description: 'Fixed cost of placing one order.' },
      holdingCost: { ...nonNegative, description: 'Cost per unit left in stock at a period end.' },
      unitCost: nonNegative,
      orderCapacity: { ...nonNegative, description: 'Largest quantity one order may hold.' },
      periods: {
        ...listOf(['name', 'demand'], { name: namedItemSchema, demand: nonNegative }),
        maxItems: 1000,
      },
    },
  };
  readonly exampleInput: InventoryReplenishmentInput = {
    item: 'Widget',
    orderingCost: 100,
    holdingCost: 1.5,
    periods: [
      { name: 'Week 1', demand: 50 },
      { name: 'Week 2', demand: 60 },
      { name: 'Week 3', demand: 40 },
    ],
  };

  check(input: InventoryReplenishmentInput): FieldError[] {
    return duplicateNameErrors(input.periods, 'periods');
  }

  build(input: InventoryReplenishmentInput): OptimizationModel {
    const periods = input.periods;
    const initial = input.initialInventory ?? 0;
    const model: OptimizationModel = {
      name: this.id,
      sense: 'minimize',
      variables: [],
      objective: { terms: {} },
      constraints: [],
    };
    periods.forEach((period, index) => {
      // The tightest valid big-M: never order more than what is still to be sold.
      const remaining = periods.slice(index).reduce((sum, item) => sum + item.demand, 0);
      const bigM = Math.min(input.orderCapacity ?? remaining, remaining);
      model.variables.push(
        { name: order(period.name), lower: 0, upper: bigM },
        { name: place(period.name), type: 'binary' },
        { name: stock(period.name), lower: 0 },
      );
      model.objective.terms[place(period.name)] = input.orderingCost;
      model.objective.terms[order(period.name)] = input.unitCost ?? 0;
      model.objective.terms[stock(period.name)] = input.holdingCost;

      const balance: Record<string, number> = { [order(period.name)]: 1, [stock(period.name)]: -1 };
      if (index > 0) {
        balance[stock(periods[index - 1].name)] = 1;
      }
      model.constraints.push(
        {
          name: `balance ${period.name}`,
          terms: balance,
          sense: '=',
          rhs: index === 0 ? period.demand - initial : period.demand,
        },
        {
          name: `order only if placed ${period.name}`,
          terms: { [order(period.name)]: 1, [place(period.name)]: -bigM },
          sense: '<=',
          rhs: 0,
        },
      );
    });

    return model;
  }

  interpret(input: InventoryReplenishmentInput, result: SolveResult): WorkflowAnswer {
    const schedule = input.periods.map((period) => ({
      period: period.name,
      demand: period.demand,
      order: businessNumber(result.variables[order(period.name)]),
      endingInventory: businessNumber(result.variables[stock(period.name)]),
    }));
    const orders = schedule
      .filter((item) => item.order > 0)
      .map((item) => ({ period: item.period, quantity: item.order }));
    const ordered = orders.reduce((sum, item) => sum + item.quantity, 0);
    const held = schedule.reduce((sum, item) => sum + item.endingInventory, 0);
    const costs = {
      ordering: businessNumber(orders.length * input.orderingCost),
      purchase: businessNumber(ordered * (input.unitCost ?? 0)),
      holding: businessNumber(held * input.holdingCost),
      total: businessNumber(result.objectiveValue ?? 0),
    };
    const what = input.item ?? 'units';
    const summary =
      (orders.length > 0
        ? `Place ${orders.length} order${orders.length > 1 ? 's' : ''}: ${orders
            .map((item) => `${formatNumber(item.quantity)} ${what} in ${item.period}`)
            .join(', ')}.`
        : 'No order is needed: the initial inventory covers all demand.') +
      ` Total cost ${formatNumber(costs.total)} (ordering ${formatNumber(costs.ordering)}, ` +
      `purchase ${formatNumber(costs.purchase)}, holding ${formatNumber(costs.holding)}).`;

    return { summary, answer: { totalCost: costs.total, costs, orders, schedule } };
  }
}
