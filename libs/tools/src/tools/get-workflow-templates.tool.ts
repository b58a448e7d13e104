import { Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { ToolDefinition } from '../registry/tool.definition';
import { templatesInputSchema, templatesOutputSchema } from '../schemas/workflow.schema';
import { WorkflowCatalog } from '../workflows/workflow.catalog';

interface TemplatesInput {
  workflow?: string;
}

interface TemplatesOutput {
  templates: {
    id: string;
    title: string;
    description: string;
    inputSchema: Record<string, unknown>;
    exampleInput: unknown;
  }[];
}

@Injectable()
export class GetWorkflowTemplatesTool implements ToolDefinition<TemplatesInput, TemplatesOutput> {
  readonly name = 'get_workflow_templates';
  readonly version = '1.0.0';
  readonly title = 'List workflow templates';
  readonly description =
    'Lists the ready-made decision workflows (production planning, shift scheduling, inventory ' +
    'replenishment, transportation, facility location) with the business inputs each expects ' +
    '(JSON Schema) and a worked example input for execute_workflow.';
  readonly category = 'workflows' as const;
  readonly inputSchema = templatesInputSchema;
  readonly outputSchema = templatesOutputSchema;
  readonly cost = 0;
  private readonly catalog = new WorkflowCatalog();

  usesSolver(): boolean {
    return false;
  }

  execute(input: TemplatesInput): Promise<TemplatesOutput> {
    const templates = this.catalog
      .list()
      .filter((template) => input.workflow === undefined || template.id === input.workflow);
    if (input.workflow !== undefined && templates.length === 0) {
      throw new AppException('tool_input_invalid', 'Unknown workflow', {
        errors: [
          { field: '/workflow', message: `must be one of ${this.catalog.ids().join(', ')}` },
        ],
      });
    }

    return Promise.resolve({
      templates: templates.map((template) => ({
        id: template.id,
        title: template.title,
        description: template.description,
        inputSchema: template.inputSchema,
        exampleInput: template.exampleInput,
      })),
    });
  }
}
