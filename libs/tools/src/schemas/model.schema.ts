import { JsonSchema } from './json-schema.types';

/**
 * Largest magnitude a model number may have. HiGHS treats values from 1e20 as infinite and
 * refuses matrix values above 1e15, so larger numbers would fail inside the solver or silently
 * change meaning; they are refused up front with the path that holds them.
 */
export const SOLVER_NUMBER_LIMIT = 1e15;

export const solverNumber = {
  type: 'number',
  minimum: -SOLVER_NUMBER_LIMIT,
  maximum: SOLVER_NUMBER_LIMIT,
} as const;

const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };

const bound = (description: string): JsonSchema => ({
  type: ['number', 'null'],
  minimum: -SOLVER_NUMBER_LIMIT,
  maximum: SOLVER_NUMBER_LIMIT,
  description,
});

const terms: JsonSchema = {
  type: 'object',
  description: 'Variable name to coefficient.',
  propertyNames: { minLength: 1, maxLength: 255 },
  additionalProperties: solverNumber,
};

export const solveOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    timeLimitSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      description:
        "HiGHS' own time limit: past it the solve reports time_limit with the best solution found. " +
        'Keep it below the tool timeout, which stops the solve without any answer.',
    },
    mipGap: { type: 'number', minimum: 0, maximum: 1, description: 'Relative MIP gap tolerance.' },
    presolve: { type: 'boolean' },
  },
};

export const structuredModelSchema: JsonSchema = {
  type: 'object',
  title: 'Structured model',
  required: ['sense', 'variables', 'objective', 'constraints'],
  additionalProperties: false,
  properties: {
    name: name,
    sense: { enum: ['minimize', 'maximize'] },
    variables: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name,
          type: { enum: ['continuous', 'integer', 'binary'], default: 'continuous' },
          lower: bound('Lower bound; omitted means 0, null means unbounded below.'),
          upper: bound('Upper bound; omitted or null means unbounded above.'),
        },
      },
    },
    objective: {
      type: 'object',
      required: ['terms'],
      additionalProperties: false,
      properties: { terms, constant: solverNumber },
    },
    constraints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'terms', 'sense', 'rhs'],
        additionalProperties: false,
        properties: {
          name,
          terms,
          sense: { enum: ['<=', '>=', '='] },
          rhs: solverNumber,
        },
      },
    },
    options: solveOptionsSchema,
  },
};

export const lpModelSchema: JsonSchema = {
  type: 'object',
  title: 'CPLEX LP text',
  required: ['lp'],
  additionalProperties: false,
  properties: {
    lp: { type: 'string', minLength: 1, description: 'A model in CPLEX LP format.' },
    options: solveOptionsSchema,
  },
};

/**
 * Either form; `if/then/else` (rather than oneOf) makes Ajv report the errors of the form the
 * caller meant, not a confusing mix of both.
 */
export const modelInputSchema: JsonSchema = {
  type: 'object',
  if: { required: ['lp'] },
  then: lpModelSchema,
  else: structuredModelSchema,
};

const numberMap: JsonSchema = { type: 'object', additionalProperties: { type: 'number' } };

export const solveResultSchema: JsonSchema = {
  type: 'object',
  required: [
    'status',
    'solverStatus',
    'modelType',
    'objectiveValue',
    'variables',
    'activities',
    'slacks',
    'solveTimeMs',
    'solver',
  ],
  additionalProperties: false,
  properties: {
    status: { enum: ['optimal', 'infeasible', 'unbounded', 'time_limit', 'error'] },
    solverStatus: { type: 'string' },
    modelType: { enum: ['lp', 'mip'] },
    objectiveValue: { type: ['number', 'null'] },
    variables: numberMap,
    activities: numberMap,
    slacks: numberMap,
    duals: numberMap,
    reducedCosts: numberMap,
    solveTimeMs: { type: 'number' },
    solver: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'HiGHS' }, version: { type: 'string' } },
    },
  },
};
