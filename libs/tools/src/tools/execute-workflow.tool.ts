import { Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { childPointer } from '../optimization/json-pointer.util';
import { OptimizationService } from '../optimization/optimization.service';
import {
  OptimizationModel,
  SolveOptions,
  SolveResult,
} from '../optimization/optimization-model.types';
import { ToolContext, ToolDefinition } from '../registry/tool.definition';
import { JsonSchema } from '../schemas/json-schema.types';
import { executeWorkflowInputSchema, workflowResultSchema } from '../schemas/workflow.schema';
import { WorkflowCatalog } from '../workflows/workflow.catalog';

interface ExecuteWorkflowInput {
  workflow: string;
  inputs: unknown;
  includeModel?: boolean;
  options?: Pick<SolveOptions, 'timeLimitSeconds' | 'mipGap'>;
}

interface WorkflowResult {
  workflow: string;
  status: SolveResult['status'];
  objectiveValue: number | null;
  summary: string;
  answer: Record<string, unknown> | null;
  solve: SolveResult;
  model?: OptimizationModel;
}

const NO_ANSWER: Record<string, string> = {
  infeasible:
    'No plan meets every requirement with these inputs: check that capacities and supplies can ' +
    'cover the demands and that minimums do not exceed limits.',
  unbounded: 'The inputs leave the result unlimited: a capacity or demand is probably missing.',
  time_limit: 'The solve stopped at its time limit before finding any plan.',
  error: 'The solver could not produce a plan for these inputs.',
};

@Injectable()
export class ExecuteWorkflowTool implements ToolDefinition<ExecuteWorkflowInput, WorkflowResult> {
  readonly name = 'execute_workflow';
  readonly version = '1.0.0';
  readonly title = 'Run a decision workflow';
  readonly description =
    'Runs a workflow template (see get_workflow_templates) on business inputs: builds the ' +
    'optimization model, solves it and answers in business terms (plan, costs, bottlenecks).';
  readonly category = 'workflows' as const;
  readonly outputSchema = workflowResultSchema;
  readonly cost = 2;
  readonly inputSchema: JsonSchema;
  private readonly catalog = new WorkflowCatalog();

  constructor(private readonly optimization: OptimizationService) {
    this.inputSchema = executeWorkflowInputSchema(this.catalog);
  }

  async execute(input: ExecuteWorkflowInput, context: ToolContext): Promise<WorkflowResult> {
    // The schema already restricts the id; this only guards against a catalog/schema mismatch.
    const template = this.catalog.find(input.workflow);
    if (!template) {
      throw new AppException('tool_input_invalid', 'Unknown workflow', {
        errors: [{ field: '/workflow', message: 'is not a known workflow' }],
      });
    }

    const errors = template.check(input.inputs);
    if (errors.length > 0) {
      throw new AppException('tool_input_invalid', 'The workflow inputs are inconsistent', {
        errors: errors.map((error) => ({
          ...error,
          field: `${childPointer('', 'inputs')}${error.field}`,
        })),
      });
    }

    const model = { ...template.build(input.inputs), options: input.options };
    const solve = await this.optimization.solve(model, context.signal);
    const hasPlan = solve.objectiveValue !== null;
    const interpreted = hasPlan ? template.interpret(input.inputs, solve) : null;

    return {
      workflow: template.id,
      status: solve.status,
      objectiveValue: solve.objectiveValue,
      summary: interpreted?.summary ?? NO_ANSWER[solve.status] ?? NO_ANSWER.error,
      answer: interpreted?.answer ?? null,
      solve,
      ...(input.includeModel ? { model } : {}),
    };
  }
}
