import { AppConfigService, loadConfig } from '@app/config';
import { OptimizationService } from '../optimization/optimization.service';
import { ScenarioSimulator } from '../scenarios/scenario.simulator';
import { SolverPool } from '../solver/solver-pool.service';
import { ExecuteWorkflowTool } from '../tools/execute-workflow.tool';
import { ExplainSolutionTool } from '../tools/explain-solution.tool';
import { GetWorkflowTemplatesTool } from '../tools/get-workflow-templates.tool';
import { SimulateScenariosTool } from '../tools/simulate-scenarios.tool';
import { SolveOptimizationTool } from '../tools/solve-optimization.tool';
import { ToolDefinition } from './tool.definition';
import { ToolRegistry } from './tool.registry';

describe(ToolRegistry.name, () => {
  const config = new AppConfigService(
    loadConfig({ TOOLS_DEFAULT_TIMEOUT_MS: '5000', TOOLS_MAX_TIMEOUT_MS: '8000' }),
  );
  const pool = new SolverPool(config);
  const optimization = new OptimizationService(pool, config);
  const registry = new ToolRegistry(
    [
      new SolveOptimizationTool(optimization),
      new ExplainSolutionTool(optimization),
      new SimulateScenariosTool(new ScenarioSimulator(optimization)),
      new GetWorkflowTemplatesTool(),
      new ExecuteWorkflowTool(optimization),
    ],
    config,
  );

  afterAll(async () => {
    await pool.onApplicationShutdown();
  });

  it('should list every built-in tool with its declared metadata', () => {
    const tools = registry.list();

    expect(tools.map((tool) => tool.name)).toEqual([
      'solve_optimization',
      'explain_solution',
      'simulate_scenarios',
      'get_workflow_templates',
      'execute_workflow',
    ]);
    for (const tool of tools) {
      expect(tool).toMatchObject({
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        requiredScope: 'tools:invoke',
        timeoutMs: 5000,
        inputSchema: expect.objectContaining({ type: 'object' }),
        outputSchema: expect.objectContaining({ type: 'object' }),
      });
      expect(tool.cost).toBeGreaterThanOrEqual(0);
    }
  });

  it('should filter by category', () => {
    expect(registry.list('workflows').map((tool) => tool.name)).toEqual([
      'get_workflow_templates',
      'execute_workflow',
    ]);
    expect(registry.list('optimization').map((tool) => tool.name)).toEqual(['solve_optimization']);
  });

  it('should cap a declared timeout at the configured maximum', () => {
    const slow: ToolDefinition = {
      name: 'slow',
      version: '1.0.0',
      title: 'Slow',
      description: 'Slow',
      category: 'analysis',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      timeoutMs: 60000,
      cost: 1,
      execute: () => Promise.resolve({}),
    };

    expect(new ToolRegistry([slow], config).descriptor('slow').timeoutMs).toBe(8000);
  });

  it('should refuse to boot with two tools of one name', () => {
    const tool = registry.get('get_workflow_templates');

    expect(() => new ToolRegistry([tool, tool], config)).toThrow(/registered twice/);
  });

  it('should refuse a tool whose schema is not valid JSON Schema', () => {
    const tool = registry.get('get_workflow_templates');
    const bad = new ToolRegistry(
      [{ ...tool, name: 'bad', inputSchema: { type: 'objekt' } }],
      config,
    );

    expect(() => bad.validateInput('bad', {})).toThrow();
  });

  it('should compile the input and output schema of every built-in tool', () => {
    for (const tool of registry.list()) {
      expect(() => registry.validateInput(tool.name, {})).not.toThrow();
      expect(() => registry.validateOutput(tool.name, {})).not.toThrow();
    }
  });

  it('should answer tool_not_found for an unknown name', () => {
    expect(() => registry.get('nope')).toThrow(
      expect.objectContaining({ code: 'tool_not_found', status: 404 }),
    );
  });

  it('should name every failing path of a structured model', () => {
    const errors = registry.validateInput('solve_optimization', {
      sense: 'maximise',
      variables: [{ name: 'x', type: 'real' }, { lower: 1 }],
      objective: { terms: { x: 'three' } },
      constraints: [{ name: 'c', terms: {}, sense: '<', rhs: 1, extra: true }],
    });

    expect(errors.map((error) => error.field).sort()).toEqual(
      [
        '/sense',
        '/variables/0/type',
        '/variables/1/name',
        '/objective/terms/x',
        '/constraints/0/sense',
        '/constraints/0/extra',
      ].sort(),
    );
  });

  it('should validate LP text input as its own form', () => {
    expect(registry.validateInput('solve_optimization', { lp: 'Maximize\n obj: x\nEnd' })).toEqual(
      [],
    );
    const errors = registry.validateInput('solve_optimization', { lp: 42, sense: 'minimize' });

    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: '/lp', message: 'must be string' },
        { field: '/sense', message: 'must NOT have additional properties' },
      ]),
    );
    expect(registry.validateInput('solve_optimization', [])).toEqual([
      { field: '/', message: 'must be object' },
    ]);
  });

  it('should keep random draw parameters within the solver range, naming each one', () => {
    const scenario = (random: Record<string, unknown>) => ({
      name: 'draw',
      changes: [{ kind: 'objective', target: 'x', op: 'multiply', random }],
    });

    const errors = registry.validateInput('simulate_scenarios', {
      model: {
        sense: 'maximize',
        variables: [{ name: 'x' }],
        objective: { terms: {} },
        constraints: [],
      },
      scenarios: [
        scenario({ distribution: 'normal', mean: 0, stdDev: 1e300 }),
        scenario({ distribution: 'normal', mean: -1e16, stdDev: 1 }),
        scenario({ distribution: 'uniform', min: -1e308, max: 1e308 }),
        scenario({ distribution: 'uniform', min: 0, max: 1e15 }),
      ],
    });

    expect(errors.map((error) => error.field)).toEqual(
      expect.arrayContaining([
        '/scenarios/0/changes/0/random/stdDev',
        '/scenarios/1/changes/0/random/mean',
        '/scenarios/2/changes/0/random/min',
        '/scenarios/2/changes/0/random/max',
      ]),
    );
    expect(errors.filter((error) => error.field.startsWith('/scenarios/3'))).toEqual([]);
  });

  it('should validate scenario changes and workflow inputs down to the exact field', () => {
    const model = {
      sense: 'maximize',
      variables: [{ name: 'x' }],
      objective: { terms: { x: 1 } },
      constraints: [],
    };

    expect(
      registry
        .validateInput('simulate_scenarios', {
          model,
          scenarios: [
            {
              name: 'both',
              changes: [
                {
                  kind: 'rhs',
                  target: 'c',
                  value: 1,
                  random: { distribution: 'uniform', min: 0, max: 1 },
                },
              ],
            },
            { name: 'neither', changes: [{ kind: 'rhs', target: 'c' }] },
            {
              name: 'bad draw',
              changes: [{ kind: 'rhs', target: 'c', random: { distribution: 'normal', mean: 1 } }],
            },
          ],
        })
        .map((error) => error.field),
    ).toEqual(
      expect.arrayContaining([
        '/scenarios/0/changes/0',
        '/scenarios/1/changes/0/value',
        '/scenarios/2/changes/0/random/stdDev',
      ]),
    );
    expect(
      registry.validateInput('execute_workflow', {
        workflow: 'transportation',
        inputs: { sources: [{ name: 'A', supply: -1 }], destinations: [], lanes: [{ from: 'A' }] },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: '/inputs/sources/0/supply' }),
        expect.objectContaining({ field: '/inputs/destinations' }),
        expect.objectContaining({ field: '/inputs/lanes/0/to' }),
        expect.objectContaining({ field: '/inputs/lanes/0/costPerUnit' }),
      ]),
    );
    expect(
      registry.validateInput('execute_workflow', { workflow: 'teleport', inputs: {} }),
    ).toEqual([expect.objectContaining({ field: '/workflow' })]);
  });
});
