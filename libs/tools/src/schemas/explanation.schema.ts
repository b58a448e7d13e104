import { JsonSchema } from './json-schema.types';
import { structuredModelSchema } from './model.schema';

const numberMap: JsonSchema = { type: 'object', additionalProperties: { type: 'number' } };

export const explainInputSchema: JsonSchema = {
  type: 'object',
  required: ['model'],
  additionalProperties: false,
  properties: {
    model: structuredModelSchema,
    solution: {
      type: 'object',
      description:
        'A solve_optimization output for this model. When omitted, the model is solved first.',
      required: ['status', 'variables'],
      properties: {
        status: { enum: ['optimal', 'infeasible', 'unbounded', 'time_limit', 'error'] },
        objectiveValue: { type: ['number', 'null'] },
        modelType: { enum: ['lp', 'mip'] },
        variables: numberMap,
        duals: numberMap,
        reducedCosts: numberMap,
      },
    },
  },
};

const constraintItem: JsonSchema = {
  type: 'object',
  required: ['name', 'sense', 'rhs', 'activity', 'slack', 'binding', 'explanation'],
  properties: {
    name: { type: 'string' },
    sense: { enum: ['<=', '>=', '='] },
    rhs: { type: 'number' },
    activity: { type: 'number' },
    slack: { type: 'number' },
    binding: { type: 'boolean' },
    shadowPrice: { type: 'number' },
    explanation: { type: 'string' },
  },
};

export const explanationSchema: JsonSchema = {
  type: 'object',
  required: [
    'status',
    'objectiveValue',
    'summary',
    'bindingConstraints',
    'nonBindingConstraints',
    'variablesAtBounds',
    'notes',
  ],
  properties: {
    status: { enum: ['optimal', 'infeasible', 'unbounded', 'time_limit', 'error'] },
    objectiveValue: { type: ['number', 'null'] },
    summary: { type: 'string' },
    bindingConstraints: { type: 'array', items: constraintItem },
    nonBindingConstraints: { type: 'array', items: constraintItem },
    variablesAtBounds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'value', 'bound', 'explanation'],
        properties: {
          name: { type: 'string' },
          value: { type: 'number' },
          bound: { enum: ['lower', 'upper', 'fixed'] },
          reducedCost: { type: 'number' },
          explanation: { type: 'string' },
        },
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
  },
};
