import { JsonSchema } from './json-schema.types';
import { SOLVER_NUMBER_LIMIT, solverNumber, structuredModelSchema } from './model.schema';

const MAX_SCENARIOS = 20;

/**
 * Draw parameters stay in the solver's range, so a draw is always a finite number: the widest,
 * a normal draw, is at most mean + 6.7 stdDev (Box-Muller on 32-bit uniforms).
 */
const randomDraw: JsonSchema = {
  type: 'object',
  required: ['distribution'],
  properties: { distribution: { enum: ['uniform', 'normal'] } },
  if: { properties: { distribution: { const: 'uniform' } } },
  then: {
    required: ['min', 'max'],
    additionalProperties: false,
    properties: {
      distribution: { const: 'uniform' },
      min: solverNumber,
      max: solverNumber,
    },
  },
  else: {
    required: ['mean', 'stdDev'],
    additionalProperties: false,
    properties: {
      distribution: { const: 'normal' },
      mean: solverNumber,
      stdDev: { type: 'number', minimum: 0, maximum: SOLVER_NUMBER_LIMIT },
    },
  },
};

export const simulateInputSchema: JsonSchema = {
  type: 'object',
  required: ['model', 'scenarios'],
  additionalProperties: false,
  properties: {
    model: structuredModelSchema,
    seed: {
      type: 'integer',
      description: 'Seed for random draws; the same seed reproduces the same scenarios.',
    },
    scenarios: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SCENARIOS,
      items: {
        type: 'object',
        required: ['name', 'changes'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          changes: {
            type: 'array',
            minItems: 1,
            maxItems: 1000,
            items: {
              type: 'object',
              required: ['kind', 'target'],
              additionalProperties: false,
              description:
                'Sets, adds to or multiplies a right-hand side, objective coefficient or bound, ' +
                'by a fixed value or a seeded random draw.',
              properties: {
                kind: { enum: ['rhs', 'objective', 'lower', 'upper'] },
                target: { type: 'string', minLength: 1, maxLength: 255 },
                op: { enum: ['set', 'add', 'multiply'], default: 'set' },
                value: { type: 'number' },
                random: randomDraw,
              },
              if: { required: ['random'] },
              then: { not: { required: ['value'] } },
              else: { required: ['value'] },
            },
          },
        },
      },
    },
  },
};

const nullableNumber: JsonSchema = { type: ['number', 'null'] };

export const simulationReportSchema: JsonSchema = {
  type: 'object',
  required: ['seed', 'baseline', 'scenarios', 'decisions'],
  properties: {
    seed: { type: 'integer' },
    baseline: {
      type: 'object',
      required: ['status', 'objectiveValue'],
      properties: { status: { type: 'string' }, objectiveValue: nullableNumber },
    },
    scenarios: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'name',
          'status',
          'objectiveValue',
          'objectiveChange',
          'appliedChanges',
          'changedDecisions',
        ],
        properties: {
          name: { type: 'string' },
          status: { type: 'string' },
          objectiveValue: nullableNumber,
          objectiveChange: nullableNumber,
          appliedChanges: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'target', 'from', 'to'],
              properties: {
                kind: { type: 'string' },
                target: { type: 'string' },
                from: nullableNumber,
                to: nullableNumber,
                drawn: { type: 'number' },
              },
            },
          },
          changedDecisions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['variable', 'baseline', 'scenario'],
              properties: {
                variable: { type: 'string' },
                baseline: nullableNumber,
                scenario: nullableNumber,
              },
            },
          },
        },
      },
    },
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'baseline', 'scenarios'],
        properties: {
          variable: { type: 'string' },
          baseline: nullableNumber,
          scenarios: { type: 'object', additionalProperties: nullableNumber },
        },
      },
    },
  },
};
