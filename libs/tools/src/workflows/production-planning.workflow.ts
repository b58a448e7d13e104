import { FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer.util';
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
  nonNegative,
  termsByKey,
} from './workflow.helpers';

export interface ProductionPlanningInput {
  products: {
    name: string;
    profitPerUnit: number;
    /** Resource name to amount used per unit made. */
    usage: Record<string, number>;
    minQuantity?: number;
    maxQuantity?: number;
    wholeUnits?: boolean;
  }[];
  resources: { name: string; capacity: number }[];
}

/** Product mix: how much of each product to make with limited resources to earn the most. */
export class ProductionPlanningWorkflow implements WorkflowTemplate<ProductionPlanningInput> {
  readonly id = 'production_planning';
  readonly title = 'Production planning (product mix)';
  readonly description =
    'Chooses how many units of each product to make so that total profit is highest without ' +
    'using more of any resource (machine hours, labour, material) than is available. Products ' +
    'may have minimum (committed orders) and maximum (market) quantities and may be made in ' +
    'whole units only. Reports the plan, resource use and which resources are bottlenecks.';
  readonly inputSchema: JsonSchema = {
    type: 'object',
    required: ['products', 'resources'],
    additionalProperties: false,
    properties: {
      products: listOf(['name', 'profitPerUnit', 'usage'], {
        name: namedItemSchema,
        profitPerUnit: businessValue,
        usage: { type: 'object', additionalProperties: nonNegative },
        minQuantity: nonNegative,
        maxQuantity: nonNegative,
        wholeUnits: { type: 'boolean' },
      }),
      resources: listOf(['name', 'capacity'], { name: namedItemSchema, capacity: nonNegative }),
    },
  };
  readonly exampleInput: ProductionPlanningInput = {
    products: [
      { name: 'Doors', profitPerUnit: 3, usage: { 'Plant 1': 1, 'Plant 3': 3 } },
      { name: 'Windows', profitPerUnit: 5, usage: { 'Plant 2': 2, 'Plant 3': 2 } },
    ],
    resources: [
      { name: 'Plant 1', capacity: 4 },
      { name: 'Plant 2', capacity: 12 },
      { name: 'Plant 3', capacity: 18 },
    ],
  };

  check(input: ProductionPlanningInput): FieldError[] {
    const errors = [
      ...duplicateNameErrors(input.products, 'products'),
      ...duplicateNameErrors(input.resources, 'resources'),
    ];
    const resources = new Set(input.resources.map((resource) => resource.name));
    input.products.forEach((product, index) => {
      for (const resource of Object.keys(product.usage)) {
        if (!resources.has(resource)) {
          errors.push({
            field: childPointer('', 'products', index, 'usage', resource),
            message: 'is not one of the resources',
          });
        }
      }
      if (
        product.minQuantity !== undefined &&
        product.maxQuantity !== undefined &&
        product.minQuantity > product.maxQuantity
      ) {
        errors.push({
          field: childPointer('', 'products', index, 'minQuantity'),
          message: 'exceeds maxQuantity',
        });
      }
    });

    return errors;
  }

  build(input: ProductionPlanningInput): OptimizationModel {
    const uses = input.products.flatMap((product) =>
      Object.entries(product.usage).map(([resource, amount]) => ({
        resource,
        product: product.name,
        amount,
      })),
    );
    const usedBy = termsByKey(
      uses,
      (use) => use.resource,
      (use) => use.product,
      (use) => use.amount,
    );

    return {
      name: this.id,
      sense: 'maximize',
      variables: input.products.map((product) => ({
        name: product.name,
        type: product.wholeUnits ? 'integer' : 'continuous',
        lower: product.minQuantity ?? 0,
        upper: product.maxQuantity ?? null,
      })),
      objective: {
        terms: Object.fromEntries(
          input.products.map((product) => [product.name, product.profitPerUnit]),
        ),
      },
      constraints: input.resources.map((resource) => ({
        name: resource.name,
        sense: '<=' as const,
        rhs: resource.capacity,
        terms: usedBy(resource.name),
      })),
    };
  }

  interpret(input: ProductionPlanningInput, result: SolveResult): WorkflowAnswer {
    const plan = input.products.map((product) => {
      const quantity = businessNumber(result.variables[product.name]);

      return {
        product: product.name,
        quantity,
        profit: businessNumber(quantity * product.profitPerUnit),
      };
    });
    const resources = input.resources.map((resource) => {
      const used = businessNumber(result.activities[resource.name] ?? 0);
      const bottleneck = resource.capacity - used <= 1e-6 * Math.max(1, resource.capacity);
      const value = result.duals?.[resource.name];

      return {
        resource: resource.name,
        used,
        capacity: resource.capacity,
        utilisationPercent:
          resource.capacity > 0 ? businessNumber((100 * used) / resource.capacity) : 0,
        bottleneck,
        ...(value !== undefined ? { valueOfOneMoreUnit: businessNumber(value) } : {}),
      };
    });
    const totalProfit = businessNumber(result.objectiveValue ?? 0);
    const made = plan.filter((item) => item.quantity > 0);
    const bottlenecks = resources.filter((item) => item.bottleneck);
    const summary = [
      made.length > 0
        ? `Make ${made.map((item) => `${formatNumber(item.quantity)} ${item.product}`).join(', ')} for a total profit of ${formatNumber(totalProfit)}.`
        : 'Making nothing is best: no product earns a profit within the limits.',
      bottlenecks.length > 0
        ? `Bottlenecks: ${bottlenecks
            .map((item) =>
              item.valueOfOneMoreUnit !== undefined
                ? `${item.resource} (one more unit is worth ${formatNumber(item.valueOfOneMoreUnit)})`
                : item.resource,
            )
            .join(', ')}.`
        : 'No resource is fully used.',
    ].join(' ');

    return { summary, answer: { totalProfit, plan, resources } };
  }
}
