import { WorkflowCatalog } from '../workflows/workflow.catalog';
import { JsonSchema } from './json-schema.types';
import { solveResultSchema, structuredModelSchema } from './model.schema';

/** One `if workflow is X then inputs follow X's schema` per template, so errors name exact paths. */
export function executeWorkflowInputSchema(catalog: WorkflowCatalog): JsonSchema {
  return {
    type: 'object',
    required: ['workflow', 'inputs'],
    additionalProperties: false,
    properties: {
      workflow: { enum: catalog.ids() },
      inputs: { type: 'object' },
      includeModel: {
        type: 'boolean',
        description: 'Also return the generated model, e.g. to pass it to simulate_scenarios.',
      },
      options: {
        type: 'object',
        additionalProperties: false,
        properties: {
          timeLimitSeconds: { type: 'number', exclusiveMinimum: 0 },
          mipGap: { type: 'number', minimum: 0, maximum: 1 },
        },
      },
    },
    allOf: catalog.list().map((template) => ({
      if: { properties: { workflow: { const: template.id } }, required: ['workflow'] },
      then: { properties: { inputs: template.inputSchema } },
    })),
  };
}

export const workflowResultSchema: JsonSchema = {
  type: 'object',
  required: ['workflow', 'status', 'objectiveValue', 'summary', 'answer', 'solve'],
  properties: {
    workflow: { type: 'string' },
    status: { enum: ['optimal', 'infeasible', 'unbounded', 'time_limit', 'error'] },
    objectiveValue: { type: ['number', 'null'] },
    summary: { type: 'string' },
    answer: { type: ['object', 'null'] },
    solve: solveResultSchema,
    model: structuredModelSchema,
  },
};

export const templatesInputSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    workflow: { type: 'string', description: 'Only this template.' },
  },
};

export const templatesOutputSchema: JsonSchema = {
  type: 'object',
  required: ['templates'],
  properties: {
    templates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'description', 'inputSchema', 'exampleInput'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
          inputSchema: { type: 'object' },
          exampleInput: { type: 'object' },
        },
      },
    },
  },
};
