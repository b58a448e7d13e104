import { AppConfigService, loadConfig } from '@app/config';
import { OptimizationService } from '../optimization/optimization.service';
import { ToolContext } from '../registry/tool.definition';
import { ToolRegistry } from '../registry/tool.registry';
import { SolverPool } from '../solver/solver-pool.service';
import { WorkflowCatalog } from '../workflows/workflow.catalog';
import { ExecuteWorkflowTool } from './execute-workflow.tool';
import { GetWorkflowTemplatesTool } from './get-workflow-templates.tool';

describe(ExecuteWorkflowTool.name, () => {
  const config = new AppConfigService(loadConfig({ TOOLS_MAX_THREADS: '2' }));
  const pool = new SolverPool(config);
  const tool = new ExecuteWorkflowTool(new OptimizationService(pool, config));
  const templates = new GetWorkflowTemplatesTool();
  const registry = new ToolRegistry([tool, templates], config);
  const context: ToolContext = {
    invocationId: 'inv_test',
    tenantId: 'tenant',
    signal: new AbortController().signal,
  };
  const run = async (workflow: string, inputs: unknown, includeModel = false) => {
    const input = { workflow, inputs, includeModel };
    expect(registry.validateInput(tool.name, input)).toEqual([]);
    const output = await tool.execute(input, context);
    expect(registry.validateOutput(tool.name, output)).toEqual([]);

    return output;
  };

  afterAll(async () => {
    await pool.onApplicationShutdown();
  });

  it('should solve every template example input and match its own schemas', async () => {
    const listed = await templates.execute({});

    expect(registry.validateOutput(templates.name, listed)).toEqual([]);
    expect(listed.templates.map((template) => template.id)).toEqual(new WorkflowCatalog().ids());
    for (const template of listed.templates) {
      const output = await run(template.id, template.exampleInput);

      expect(output.status).toBe('optimal');
    }
  });

  it('should plan the Wyndor product mix: 2 doors and 6 windows for 36, plants 2 and 3 binding', async () => {
    const output = await run(
      'production_planning',
      new WorkflowCatalog().find('production_planning')!.exampleInput,
    );

    expect(output.objectiveValue).toBe(36);
    expect(output.answer).toMatchObject({
      totalProfit: 36,
      plan: [
        { product: 'Doors', quantity: 2, profit: 6 },
        { product: 'Windows', quantity: 6, profit: 30 },
      ],
      resources: [
        { resource: 'Plant 1', used: 2, capacity: 4, utilisationPercent: 50, bottleneck: false },
        { resource: 'Plant 2', used: 12, bottleneck: true, valueOfOneMoreUnit: 1.5 },
        { resource: 'Plant 3', used: 18, bottleneck: true, valueOfOneMoreUnit: 1 },
      ],
    });
    expect(output.summary).toBe(
      'Make 2 Doors, 6 Windows for a total profit of 36. Bottlenecks: Plant 2 (one more unit is ' +
        'worth 1.5), Plant 3 (one more unit is worth 1).',
    );
  });

  it('should return the generated model on request, ready for simulate_scenarios', async () => {
    const output = await run(
      'production_planning',
      new WorkflowCatalog().find('production_planning')!.exampleInput,
      true,
    );

    expect(output.model).toMatchObject({
      sense: 'maximize',
      variables: [{ name: 'Doors' }, { name: 'Windows' }],
    });
  });

  it('should answer in business terms when no plan exists', async () => {
    const output = await run('transportation', {
      sources: [{ name: 'A', supply: 5 }],
      destinations: [{ name: 'X', demand: 10 }],
      lanes: [{ from: 'A', to: 'X', costPerUnit: 1 }],
    });

    expect(output).toMatchObject({ status: 'infeasible', answer: null, objectiveValue: null });
    expect(output.summary).toMatch(/^No plan meets every requirement/);
  });

  it('should refuse inputs that refer to unknown names, with paths under /inputs', async () => {
    await expect(
      tool.execute(
        {
          workflow: 'shift_scheduling',
          inputs: {
            periods: [{ name: 'Morning', requiredStaff: 1 }],
            shifts: [{ name: 'Early', costPerWorker: 1, covers: ['Morning', 'Evening'] }],
          },
        },
        context,
      ),
    ).rejects.toMatchObject({
      code: 'tool_input_invalid',
      errors: [{ field: '/inputs/shifts/0/covers/1', message: 'is not one of the periods' }],
    });
  });
});
