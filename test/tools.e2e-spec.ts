import { InvocationRecorder, InvocationRepository, ToolsModule } from '@app/tools';
import {
  createApiKey,
  createTenantWithKey,
  dumpTables,
  TenantWithKey,
} from './support/identity-fixtures';
import { furnitureLp, knapsack, marketSplit, wyndor } from './support/optimization-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe(ToolsModule.name, () => {
  let testApp: TestApp;
  let tenant: TenantWithKey;

  const invoke = (tool: string, input: unknown, key = tenant.key) =>
    testApp.http.post(`/v1/tools/${tool}/invoke`).set('X-API-Key', key).send({ input });

  beforeAll(async () => {
    testApp = await startTestApp({
      TOOLS_MAX_VARIABLES: '100',
      TOOLS_MAX_CONSTRAINTS: '50',
      TOOLS_MAX_LP_LENGTH: '5000',
    });
    tenant = await createTenantWithKey(testApp, ['tools:read', 'tools:invoke']);
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('registry', () => {
    it('should list the tools to a key with tools:read, filtered by category', async () => {
      const all = await testApp.http.get('/v1/tools').set('X-API-Key', tenant.key).expect(200);
      const workflows = await testApp.http
        .get('/v1/tools?category=workflows')
        .set('X-API-Key', tenant.key)
        .expect(200);

      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items.map((tool: { name: string }) => tool.name)).toEqual([
        'solve_optimization',
        'explain_solution',
        'simulate_scenarios',
        'get_workflow_templates',
        'execute_workflow',
      ]);
      expect(all.body.items[0]).toEqual({
        name: 'solve_optimization',
        version: '1.0.0',
        title: expect.any(String),
        description: expect.any(String),
        category: 'optimization',
        requiredScope: 'tools:invoke',
        timeoutMs: 30000,
        cost: 1,
      });
      expect(workflows.body.items.map((tool: { name: string }) => tool.name)).toEqual([
        'get_workflow_templates',
        'execute_workflow',
      ]);
    });

    it('should document the category filter in the OpenAPI document', async () => {
      const document = await testApp.http.get('/docs-json').expect(200);
      const list = document.body.paths['/v1/tools'].get;

      expect(list.parameters).toEqual([
        expect.objectContaining({
          name: 'category',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['optimization', 'analysis', 'workflows'] },
        }),
      ]);
      expect(list.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ToolListDto',
      });
    });

    it('should document the responses of the tools and MCP routes in the OpenAPI document', async () => {
      const document = await testApp.http.get('/docs-json').expect(200);
      const detail = document.body.paths['/v1/tools/{name}'].get;
      const invokeRoute = document.body.paths['/v1/tools/{name}/invoke'].post;
      const mcp = document.body.paths['/mcp'].post;
      const problem = { $ref: '#/components/schemas/ToolProblemDto' };

      expect(detail.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ToolDetailDto',
      });
      expect(detail.responses['404'].content['application/problem+json'].schema).toEqual(problem);
      expect(invokeRoute.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/InvocationResultDto',
      });
      for (const status of ['400', '404', '413', '422', '429', '503', '504']) {
        expect(invokeRoute.responses[status].content['application/problem+json'].schema).toEqual(
          problem,
        );
      }
      expect(invokeRoute.responses['429'].description).toContain('concurrency_limit');
      expect(invokeRoute.responses['429'].headers).toHaveProperty('Retry-After');
      expect(invokeRoute.responses['504'].description).toContain('tool_timeout');
      expect(document.body.components.schemas.ToolProblemDto.properties).toHaveProperty(
        'invocationId',
      );
      expect(mcp.security).toEqual([{ apiKey: [] }]);
      expect(mcp.responses['200'].content['application/json'].schema).toMatchObject({
        type: 'object',
        properties: expect.objectContaining({ jsonrpc: expect.any(Object) }),
      });
    });

    it('should describe one tool with its schemas, and 404 an unknown one as problem+json', async () => {
      const detail = await testApp.http
        .get('/v1/tools/solve_optimization')
        .set('X-API-Key', tenant.key)
        .expect(200);
      const missing = await testApp.http
        .get('/v1/tools/solve_everything')
        .set('X-API-Key', tenant.key)
        .expect(404);

      expect(detail.body.inputSchema).toMatchObject({ type: 'object', if: { required: ['lp'] } });
      expect(detail.body.outputSchema.properties.status.enum).toEqual([
        'optimal',
        'infeasible',
        'unbounded',
        'time_limit',
        'error',
      ]);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({ code: 'tool_not_found', status: 404 });
    });

    it('should refuse a bad category, a missing key and a key without the scope', async () => {
      const invokeOnly = await createApiKey(testApp, tenant.tenantId, ['tools:invoke']);

      const bad = await testApp.http
        .get('/v1/tools?category=magic')
        .set('X-API-Key', tenant.key)
        .expect(400);
      const unknown = await testApp.http
        .get('/v1/tools?colour=red')
        .set('X-API-Key', tenant.key)
        .expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'category', message: expect.stringContaining('optimization') }],
      });
      expect(unknown.body.errors).toEqual([
        { field: 'colour', message: 'property colour should not exist' },
      ]);
      await testApp.http.get('/v1/tools').expect(401);
      const refused = await testApp.http
        .get('/v1/tools')
        .set('X-API-Key', invokeOnly.key)
        .expect(403);
      expect(refused.body.code).toBe('insufficient_scope');
    });
  });

  describe('solve_optimization', () => {
    it('should solve the Wyndor LP to 36 with duals, slacks and reduced costs', async () => {
      const response = await invoke('solve_optimization', wyndor).expect(200);

      expect(response.body).toEqual({
        invocationId: expect.stringMatching(/^inv_[0-9A-Z]{26}$/),
        tool: 'solve_optimization',
        version: '1.0.0',
        status: 'succeeded',
        output: expect.objectContaining({
          status: 'optimal',
          objectiveValue: 36,
          variables: { x: 2, y: 6 },
          duals: { 'plant 1': 0, 'plant 2': 1.5, 'plant 3': 1 },
          slacks: { 'plant 1': 2, 'plant 2': 0, 'plant 3': 0 },
          reducedCosts: { x: 0, y: 0 },
          solver: { name: 'HiGHS', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
        }),
        durationMs: expect.any(Number),
      });
    });

    it('should solve the knapsack MIP to 15 leaving the 12 kg box out', async () => {
      const response = await invoke('solve_optimization', knapsack).expect(200);

      expect(response.body.output).toMatchObject({
        status: 'optimal',
        modelType: 'mip',
        objectiveValue: 15,
        variables: { green: 0, grey: 1, blue: 1, orange: 1, yellow: 1 },
      });
    });

    it('should solve CPLEX LP text', async () => {
      const response = await invoke('solve_optimization', { lp: furnitureLp }).expect(200);

      expect(response.body.output).toMatchObject({
        status: 'optimal',
        objectiveValue: 1100,
        variables: { chairs: 20, tables: 10 },
      });
    });

    it('should report infeasible and unbounded models as statuses, not errors', async () => {
      const infeasible = await invoke('solve_optimization', {
        ...wyndor,
        constraints: [
          ...wyndor.constraints,
          { name: 'too many', terms: { x: 1 }, sense: '>=', rhs: 5 },
        ],
      }).expect(200);
      const unbounded = await invoke('solve_optimization', {
        ...wyndor,
        constraints: [wyndor.constraints[0]],
      }).expect(200);

      expect(infeasible.body.output).toMatchObject({ status: 'infeasible', objectiveValue: null });
      expect(unbounded.body.output).toMatchObject({ status: 'unbounded', objectiveValue: null });
    });

    it('should answer 400 tool_input_invalid naming every failing path', async () => {
      const response = await invoke('solve_optimization', {
        sense: 'maximise',
        variables: [{ name: 'x', type: 'real' }],
        objective: {},
        constraints: [{ name: 'c', terms: { x: 1 }, sense: '<=', rhs: 'four' }],
      }).expect(400);

      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('tool_input_invalid');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
        ['/constraints/0/rhs', '/objective/terms', '/sense', '/variables/0/type'].sort(),
      );
    });

    it('should answer 400 for a model naming undeclared variables', async () => {
      const response = await invoke('solve_optimization', {
        ...wyndor,
        objective: { terms: { x: 3, z: 5 } },
      }).expect(400);

      expect(response.body).toMatchObject({
        code: 'tool_input_invalid',
        errors: [{ field: '/objective/terms/z', message: 'refers to an undeclared variable' }],
      });
    });

    it('should answer 400 validation_failed for a body without an input object', async () => {
      await testApp.http
        .post('/v1/tools/solve_optimization/invoke')
        .set('X-API-Key', tenant.key)
        .send({ model: wyndor })
        .expect(400);
    });

    it('should answer 413 model_too_large over the configured limits', async () => {
      const variables = Array.from({ length: 101 }, (_, i) => ({ name: `v${i}` }));
      const tooMany = await invoke('solve_optimization', {
        sense: 'minimize',
        variables,
        objective: { terms: {} },
        constraints: [],
      }).expect(413);
      const tooLong = await invoke('solve_optimization', {
        lp: `Minimize\n obj: x\n\\${'-'.repeat(5000)}\nEnd`,
      }).expect(413);

      expect(tooMany.body).toMatchObject({
        code: 'model_too_large',
        dimension: 'variables',
        limit: 100,
      });
      expect(tooLong.body).toMatchObject({
        code: 'model_too_large',
        dimension: 'lpLength',
        limit: 5000,
      });
    });

    it('should answer 413 model_too_large for a structured model over the constraint limit', async () => {
      const response = await invoke('solve_optimization', {
        sense: 'minimize',
        variables: [{ name: 'x' }],
        objective: { terms: { x: 1 } },
        constraints: Array.from({ length: 51 }, (_, i) => ({
          name: `c${i}`,
          terms: { x: 1 },
          sense: '>=',
          rhs: i,
        })),
      }).expect(413);

      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        code: 'model_too_large',
        dimension: 'constraints',
        actual: 51,
        limit: 50,
      });
    });

    it('should answer 413 model_too_large for LP text over the variable or constraint limit', async () => {
      const names = Array.from({ length: 101 }, (_, i) => `v${i}`);
      const manyVariables = await invoke('solve_optimization', {
        lp: ['Minimize', ` obj: ${names.join(' + ')}`, 'End'].join('\n'),
      }).expect(413);
      // Variables named only in the Bounds section are columns too.
      const boundedOnly = await invoke('solve_optimization', {
        lp: ['Minimize', ' obj: v0', 'Bounds', ...names.map((name) => ` ${name} <= 1`), 'End'].join(
          '\n',
        ),
      }).expect(413);
      const manyRows = await invoke('solve_optimization', {
        lp: [
          'Minimize',
          ' obj: x',
          'Subject To',
          ...Array.from({ length: 51 }, (_, i) => ` c${i}: x >= ${i}`),
          'End',
        ].join('\n'),
      }).expect(413);
      const withinLimits = await invoke('solve_optimization', {
        lp: ['Minimize', ` obj: ${names.slice(1).join(' + ')}`, 'End'].join('\n'),
      }).expect(200);

      for (const response of [manyVariables, boundedOnly]) {
        expect(response.body).toMatchObject({
          code: 'model_too_large',
          dimension: 'variables',
          actual: 101,
          limit: 100,
          invocationId: expect.stringMatching(/^inv_/),
        });
      }
      expect(manyRows.body).toMatchObject({
        code: 'model_too_large',
        dimension: 'constraints',
        actual: 51,
        limit: 50,
      });
      expect(withinLimits.body.output).toMatchObject({ status: 'optimal', objectiveValue: 0 });
    });

    it('should answer 422 tool_failed for LP text HiGHS cannot read, and keep solving', async () => {
      const broken = await invoke('solve_optimization', {
        lp: 'Minimize\n obj: x +* \nEnd',
      }).expect(422);

      expect(broken.body).toMatchObject({ code: 'tool_failed', invocationId: expect.any(String) });
      await invoke('solve_optimization', wyndor).expect(200);
    });

    it('should answer 400 for LP text with no objective or no variable, not an empty optimum', async () => {
      const garbage = await invoke('solve_optimization', { lp: 'hello world' }).expect(400);
      const blank = await invoke('solve_optimization', { lp: '   ' }).expect(400);
      const noVariables = await invoke('solve_optimization', {
        lp: 'Minimize\n obj:\nEnd',
      }).expect(400);

      for (const response of [garbage, blank, noVariables]) {
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({
          code: 'tool_input_invalid',
          errors: [expect.objectContaining({ field: '/lp' })],
        });
      }
    });

    it('should answer 400 naming each number beyond the solver range, not a solver failure', async () => {
      const response = await invoke('solve_optimization', {
        ...wyndor,
        variables: [{ name: 'x', lower: 1e30 }, { name: 'y' }],
        objective: { terms: { x: 1e308, y: 5 } },
        constraints: [
          { name: 'huge', terms: { x: 1e16 }, sense: '<=', rhs: 1 },
          { name: 'far', terms: { y: 1 }, sense: '<=', rhs: -1e308 },
        ],
      }).expect(400);

      expect(response.body.code).toBe('tool_input_invalid');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
        [
          '/constraints/0/terms/x',
          '/constraints/1/rhs',
          '/objective/terms/x',
          '/variables/0/lower',
        ].sort(),
      );
    });

    it('should answer a time-limited MIP without any feasible plan with no values at all', async () => {
      const response = await invoke('solve_optimization', {
        lp: marketSplit(4, { slack: false }),
        options: { timeLimitSeconds: 0.3 },
      }).expect(200);

      expect(response.body.output).toMatchObject({
        status: 'time_limit',
        modelType: 'mip',
        objectiveValue: null,
        variables: {},
        activities: {},
        slacks: {},
      });
      expect(response.body.output).not.toHaveProperty('duals');
      expect(response.body.output).not.toHaveProperty('reducedCosts');
    });

    it('should answer a time-limited MIP with its incumbent and objective', async () => {
      const response = await invoke('solve_optimization', {
        lp: marketSplit(4),
        options: { timeLimitSeconds: 0.3 },
      }).expect(200);
      const output = response.body.output as {
        status: string;
        objectiveValue: number;
        variables: Record<string, number>;
        slacks: Record<string, number>;
      };

      expect(output.status).toBe('time_limit');
      expect(output.objectiveValue).toEqual(expect.any(Number));
      expect(Object.keys(output.variables)).toHaveLength(38);
      // A plan meets every row: equality rows have no slack, never a negative one.
      expect(Object.values(output.slacks)).toEqual([0, 0, 0, 0]);
      const deviation = [0, 1, 2, 3].reduce(
        (sum, row) => sum + output.variables[`s${row}`] + output.variables[`t${row}`],
        0,
      );
      expect(deviation).toBeCloseTo(output.objectiveValue, 6);
    });

    it('should keep names such as __proto__ in LP text output', async () => {
      const lp = [
        'Maximize',
        ' obj: __proto__ + y',
        'Subject To',
        ' __proto__: __proto__ + y <= 4',
        ' c2: __proto__ <= 3',
        'End',
      ].join('\n');

      const response = await invoke('solve_optimization', { lp }).expect(200);
      const output = response.body.output;

      expect(output.objectiveValue).toBe(4);
      expect(Object.keys(output.variables).sort()).toEqual(['__proto__', 'y']);
      expect(output.variables['__proto__'] + output.variables.y).toBe(4);
      expect(Object.keys(output.duals).sort()).toEqual(['__proto__', 'c2']);
      expect(Object.keys(output.slacks).sort()).toEqual(['__proto__', 'c2']);
      expect(Object.keys(output.activities).sort()).toEqual(['__proto__', 'c2']);
      expect(Object.keys(output.reducedCosts).sort()).toEqual(['__proto__', 'y']);
    });

    it('should keep names such as __proto__ and constructor in structured model output', async () => {
      const response = await invoke('solve_optimization', {
        sense: 'maximize',
        variables: [{ name: '__proto__', upper: 3 }, { name: 'constructor' }],
        objective: { terms: { constructor: 1 } },
        constraints: [
          { name: '__proto__', terms: { constructor: 1 }, sense: '<=', rhs: 4 },
          { name: 'toString', terms: { constructor: 2 }, sense: '<=', rhs: 10 },
        ],
      }).expect(200);
      const output = response.body.output;

      expect(JSON.parse(JSON.stringify(output.variables))).toEqual(
        JSON.parse('{"__proto__": 0, "constructor": 4}'),
      );
      expect(Object.keys(output.duals).sort()).toEqual(['__proto__', 'toString']);
      expect(output.duals['__proto__']).toBe(1);
      expect(Object.keys(output.slacks).sort()).toEqual(['__proto__', 'toString']);
      expect(Object.keys(output.reducedCosts).sort()).toEqual(['__proto__', 'constructor']);

      const explained = await invoke('explain_solution', {
        model: {
          sense: 'maximize',
          variables: [{ name: '__proto__', upper: 3 }, { name: 'constructor' }],
          objective: { terms: { constructor: 1 } },
          constraints: [{ name: '__proto__', terms: { constructor: 1 }, sense: '<=', rhs: 4 }],
        },
      }).expect(200);
      expect(explained.body.output.bindingConstraints).toEqual([
        expect.objectContaining({ name: '__proto__', activity: 4, shadowPrice: 1 }),
      ]);
      expect(explained.body.output.variablesAtBounds).toEqual([
        expect.objectContaining({ name: '__proto__', value: 0, bound: 'lower' }),
      ]);
    });

    it('should refuse to invoke with a key holding only tools:read', async () => {
      const reader = await createApiKey(testApp, tenant.tenantId, ['tools:read']);
      const response = await invoke('solve_optimization', wyndor, reader.key).expect(403);

      expect(response.body.code).toBe('insufficient_scope');
    });
  });

  describe('explain_solution and simulate_scenarios', () => {
    it('should explain binding constraints and shadow prices in words', async () => {
      const response = await invoke('explain_solution', { model: wyndor }).expect(200);

      expect(response.body.output.bindingConstraints).toEqual([
        expect.objectContaining({ name: 'plant 2', shadowPrice: 1.5 }),
        expect.objectContaining({ name: 'plant 3', shadowPrice: 1 }),
      ]);
      expect(response.body.output.summary).toContain('the maximum objective is 36');
      expect(response.body.output.summary).toContain('1 constraint has spare room.');
      expect(response.body.output.summary).not.toContain('1 constraints');
    });

    it('should change a decision named __proto__ in a scenario, keyed by a scenario named __proto__', async () => {
      const response = await invoke('simulate_scenarios', {
        model: {
          sense: 'maximize',
          variables: [
            { name: '__proto__', upper: 3 },
            { name: 'y', upper: 1 },
          ],
          objective: { terms: { y: 1 } },
          constraints: [{ name: 'cap', terms: { y: 1 }, sense: '<=', rhs: 10 }],
        },
        scenarios: [
          { name: '__proto__', changes: [{ kind: 'objective', target: '__proto__', value: 2 }] },
        ],
      }).expect(200);
      const output = response.body.output;

      expect(output.scenarios[0]).toMatchObject({
        name: '__proto__',
        objectiveValue: 7,
        appliedChanges: [{ kind: 'objective', target: '__proto__', from: 0, to: 2 }],
        changedDecisions: [{ variable: '__proto__', baseline: 0, scenario: 3 }],
      });
      expect(output.decisions).toEqual([
        { variable: '__proto__', baseline: 0, scenarios: JSON.parse('{"__proto__": 3}') },
      ]);
    });

    it('should explain a solution passed in, as solve_optimization returned it', async () => {
      const solved = await invoke('solve_optimization', wyndor).expect(200);
      const response = await invoke('explain_solution', {
        model: wyndor,
        solution: solved.body.output,
      }).expect(200);

      expect(response.body.output.nonBindingConstraints).toEqual([
        expect.objectContaining({ name: 'plant 1', slack: 2 }),
      ]);
    });

    it('should refuse a solution that does not belong to the model, naming what differs', async () => {
      const foreign = await invoke('explain_solution', {
        model: wyndor,
        solution: { status: 'optimal', objectiveValue: 1, variables: { x: 1, a: 1 } },
      }).expect(400);
      const violating = await invoke('explain_solution', {
        model: wyndor,
        solution: { status: 'optimal', objectiveValue: 800, variables: { x: 100, y: 100 } },
      }).expect(400);

      expect(foreign.body).toMatchObject({ code: 'tool_input_invalid' });
      expect(foreign.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        '/solution/variables/a',
        '/solution/variables/y',
      ]);
      expect(violating.body.errors).toEqual([
        { field: '/solution', message: expect.stringContaining('"plant 1"') },
        { field: '/solution', message: expect.stringContaining('"plant 2"') },
        { field: '/solution', message: expect.stringContaining('"plant 3"') },
      ]);
    });

    it('should report a scenario whose bounds cross as infeasible, beside the others', async () => {
      const response = await invoke('simulate_scenarios', {
        model: wyndor,
        scenarios: [
          {
            name: 'crossed',
            changes: [
              { kind: 'lower', target: 'x', value: 10 },
              { kind: 'upper', target: 'x', value: 5 },
            ],
          },
          { name: 'fine', changes: [{ kind: 'upper', target: 'y', value: 3 }] },
        ],
      }).expect(200);

      expect(response.body.output.scenarios).toEqual([
        expect.objectContaining({ name: 'crossed', status: 'infeasible', objectiveValue: null }),
        expect.objectContaining({ name: 'fine', status: 'optimal', objectiveValue: 27 }),
      ]);
    });

    it('should answer 400 for a uniform draw with min above max and a change beyond the solver range', async () => {
      const upsideDown = await invoke('simulate_scenarios', {
        model: wyndor,
        scenarios: [
          {
            name: 'upside down',
            changes: [
              {
                kind: 'rhs',
                target: 'plant 1',
                random: { distribution: 'uniform', min: 5, max: 1 },
              },
            ],
          },
        ],
      }).expect(400);
      const explode = await invoke('simulate_scenarios', {
        model: wyndor,
        scenarios: [
          { name: 'fine', changes: [{ kind: 'upper', target: 'y', value: 3 }] },
          {
            name: 'explode',
            changes: [{ kind: 'objective', target: 'x', op: 'multiply', value: 1e15 }],
          },
        ],
      }).expect(400);

      expect(upsideDown.body.errors).toEqual([
        { field: '/scenarios/0/changes/0/random/max', message: 'must not be below min' },
      ]);
      expect(explode.body.errors).toEqual([
        { field: '/scenarios/1/changes/0', message: expect.stringContaining('solver range') },
      ]);
    });

    it('should compare scenarios side by side', async () => {
      const response = await invoke('simulate_scenarios', {
        model: wyndor,
        seed: 3,
        scenarios: [
          {
            name: 'plant 3 +6h',
            changes: [{ kind: 'rhs', target: 'plant 3', op: 'add', value: 6 }],
          },
          {
            name: 'random plant 2',
            changes: [
              {
                kind: 'rhs',
                target: 'plant 2',
                random: { distribution: 'uniform', min: 6, max: 8 },
              },
            ],
          },
        ],
      }).expect(200);
      const [more, random] = response.body.output.scenarios;
      const y = random.appliedChanges[0].to / 2;

      expect(more).toMatchObject({ objectiveValue: 42, objectiveChange: 6 });
      expect(random.objectiveValue).toBeCloseTo(5 * y + 3 * Math.min(4, (18 - 2 * y) / 3), 6);
      expect(
        response.body.output.decisions.map((row: { variable: string }) => row.variable),
      ).toEqual(['x', 'y']);
    });
  });

  describe('records', () => {
    it('should record each invocation with tenant, key, tool, status and duration, never the input', async () => {
      const other = await createTenantWithKey(testApp, ['tools:invoke']);
      const marker = `secret-plant-${Date.now()}`;
      await invoke(
        'solve_optimization',
        { ...wyndor, variables: [...wyndor.variables, { name: marker }] },
        other.key,
      ).expect(200);
      await invoke('solve_optimization', { sense: 'nope' }, other.key).expect(400);
      await testApp.app.get(InvocationRecorder).flush();

      const records = await testApp.app.get(InvocationRepository).listByTenant(other.tenantId, 10);

      expect(records).toEqual([
        expect.objectContaining({
          tenantId: other.tenantId,
          keyId: other.keyId,
          tool: 'solve_optimization',
          channel: 'rest',
          status: 'failed',
          errorCode: 'tool_input_invalid',
          cost: 0,
        }),
        expect.objectContaining({
          tenantId: other.tenantId,
          keyId: other.keyId,
          tool: 'solve_optimization',
          toolVersion: '1.0.0',
          channel: 'rest',
          status: 'succeeded',
          outcome: 'optimal',
          durationMs: expect.any(Number),
          cost: 1,
        }),
      ]);
      expect(await dumpTables(testApp)).not.toContain(marker);
    });

    it('should log each invocation with the request id the caller was answered with', async () => {
      const caller = await createTenantWithKey(testApp, ['tools:invoke']);

      const response = await invoke('solve_optimization', wyndor, caller.key).expect(200);

      const requestId = response.headers['x-request-id'];
      const line = testApp
        .logs()
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.msg === 'Tool invoked' && entry.keyId === caller.keyId);
      expect(line).toMatchObject({
        requestId,
        tenantId: caller.tenantId,
        invocationId: (response.body as { invocationId: string }).invocationId,
      });
    });

    it("should charge nothing for an invocation the tool refused as the caller's problem", async () => {
      const caller = await createTenantWithKey(testApp, ['tools:invoke']);
      // Each of these passes the input schema and is refused by the tool itself.
      await invoke(
        'solve_optimization',
        { ...wyndor, objective: { terms: { x: 3, z: 5 } } },
        caller.key,
      ).expect(400);
      await invoke(
        'solve_optimization',
        {
          sense: 'minimize',
          variables: Array.from({ length: 101 }, (_, i) => ({ name: `v${i}` })),
          objective: { terms: {} },
          constraints: [],
        },
        caller.key,
      ).expect(413);
      await invoke('solve_optimization', { lp: 'Minimize\n obj: x +* \nEnd' }, caller.key).expect(
        422,
      );
      await invoke(
        'simulate_scenarios',
        {
          model: wyndor,
          scenarios: [{ name: 's', changes: [{ kind: 'rhs', target: 'x', value: 1 }] }],
        },
        caller.key,
      ).expect(400);
      await invoke('explain_solution', { model: wyndor }, caller.key).expect(200);
      await testApp.app.get(InvocationRecorder).flush();

      const records = await testApp.app.get(InvocationRepository).listByTenant(caller.tenantId, 10);

      expect(
        records.map(({ tool, status, errorCode, cost }) => ({ tool, status, errorCode, cost })),
      ).toEqual([
        { tool: 'explain_solution', status: 'succeeded', errorCode: undefined, cost: 1 },
        { tool: 'simulate_scenarios', status: 'failed', errorCode: 'tool_input_invalid', cost: 0 },
        { tool: 'solve_optimization', status: 'failed', errorCode: 'tool_failed', cost: 0 },
        { tool: 'solve_optimization', status: 'failed', errorCode: 'model_too_large', cost: 0 },
        { tool: 'solve_optimization', status: 'failed', errorCode: 'tool_input_invalid', cost: 0 },
      ]);
    });
  });
});
