import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { McpController } from '@app/tools/mcp/mcp.controller';
import { InvocationRecorder, InvocationRepository } from '@app/tools';
import { createTenantWithKey, TenantWithKey } from './support/identity-fixtures';
import { knapsackLp, marketSplit, shiftInputs, wyndor } from './support/optimization-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe(McpController.name, () => {
  let testApp: TestApp;
  let tenant: TenantWithKey;
  let client: Client;

  const connect = async (key?: string): Promise<Client> => {
    const connected = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${testApp.baseUrl}/mcp`), {
      requestInit: { headers: key === undefined ? {} : { 'X-API-Key': key } },
    });
    await connected.connect(transport);

    return connected;
  };
  const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    testApp = await startTestApp();
    tenant = await createTenantWithKey(testApp, ['tools:read', 'tools:invoke']);
    client = await connect(tenant.key);
  });

  afterAll(async () => {
    await client.close();
    await testApp.close();
  });

  it('should list the registry tools with their JSON Schemas', async () => {
    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name)).toEqual([
      'solve_optimization',
      'explain_solution',
      'simulate_scenarios',
      'get_workflow_templates',
      'execute_workflow',
    ]);
    expect(tools[0]).toMatchObject({
      title: 'Solve an optimization model',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object', required: expect.arrayContaining(['status', 'variables']) },
      _meta: { 'dcisionai/requiredScope': 'tools:invoke', 'dcisionai/version': '1.0.0' },
    });
  });

  it('should solve the Wyndor LP to 36 and the knapsack MIP to 15', async () => {
    const lp = await call('solve_optimization', wyndor);
    const mip = await call('solve_optimization', { lp: knapsackLp });

    expect(lp.isError).toBeFalsy();
    expect(lp.structuredContent).toMatchObject({
      status: 'optimal',
      objectiveValue: 36,
      variables: { x: 2, y: 6 },
      duals: { 'plant 2': 1.5, 'plant 3': 1 },
    });
    expect(JSON.parse((lp.content[0] as { text: string }).text)).toEqual(lp.structuredContent);
    expect(lp._meta).toMatchObject({ 'dcisionai/invocationId': expect.stringMatching(/^inv_/) });
    expect(mip.structuredContent).toMatchObject({
      status: 'optimal',
      objectiveValue: 15,
      variables: { green: 0, grey: 1, blue: 1, orange: 1, yellow: 1 },
    });
  });

  it('should report infeasible and unbounded models', async () => {
    const infeasible = await call('solve_optimization', {
      ...wyndor,
      constraints: [
        ...wyndor.constraints,
        { name: 'too many', terms: { x: 1 }, sense: '>=', rhs: 5 },
      ],
    });
    const unbounded = await call('solve_optimization', {
      ...wyndor,
      constraints: [wyndor.constraints[0]],
    });

    expect(infeasible.structuredContent).toMatchObject({
      status: 'infeasible',
      objectiveValue: null,
    });
    expect(unbounded.structuredContent).toMatchObject({
      status: 'unbounded',
      objectiveValue: null,
    });
  });

  it('should answer invalid input as a tool error carrying the problem and every failing path', async () => {
    const result = await call('solve_optimization', { sense: 'maximise', variables: [] });
    const problem = JSON.parse((result.content[0] as { text: string }).text);

    expect(result.isError).toBe(true);
    expect(problem).toMatchObject({ code: 'tool_input_invalid', status: 400 });
    expect(problem.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['/sense', '/variables', '/objective', '/constraints']),
    );
  });

  it('should answer an unknown tool as a protocol error', async () => {
    await expect(client.callTool({ name: 'teleport', arguments: {} })).rejects.toThrow(/teleport/);
  });

  it('should run a workflow through MCP too', async () => {
    const result = await call('execute_workflow', {
      workflow: 'shift_scheduling',
      inputs: shiftInputs,
    });

    expect(result.structuredContent).toMatchObject({ status: 'optimal', objectiveValue: 640 });
  });

  it('should refuse a connection without an API key, or with an unknown one', async () => {
    await expect(connect()).rejects.toThrow(/401/);
    await expect(connect('dcs_live_not-a-real-key')).rejects.toThrow(/401/);
  });

  it('should answer an unauthenticated POST with 401 problem+json', async () => {
    const response = await testApp.http
      .post('/mcp')
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
      .expect(401);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('unauthenticated');
  });

  it('should answer a body that is not JSON-RPC with a JSON-RPC error, not a 500', async () => {
    const response = await testApp.http
      .post('/mcp')
      .set('X-API-Key', tenant.key)
      .set('Accept', 'application/json, text/event-stream')
      .send({ hello: 'world' })
      .expect(400);

    expect(response.body).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
  });

  it('should answer tools/call params of the wrong type with -32602 and a plain message', async () => {
    const post = (params: unknown) =>
      testApp.http
        .post('/mcp')
        .set('X-API-Key', tenant.key)
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params })
        .expect(200);

    const stringArguments = await post({ name: 'solve_optimization', arguments: 'x' });
    const arrayArguments = await post({ name: 'solve_optimization', arguments: [1] });
    const noName = await post({ arguments: {} });

    expect(stringArguments.body).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32602,
        message: 'Invalid params: params.arguments must be an object holding the tool input.',
      },
    });
    expect(arrayArguments.body.error.code).toBe(-32602);
    expect(noName.body.error).toEqual({
      code: -32602,
      message: 'Invalid params: params.name must be the name of a tool.',
    });
  });

  it('should apply scopes: listing needs tools:read, calling needs tools:invoke', async () => {
    const invoker = await createTenantWithKey(testApp, ['tools:invoke']);
    const reader = await createTenantWithKey(testApp, ['tools:read']);
    const invokerClient = await connect(invoker.key);
    const readerClient = await connect(reader.key);

    try {
      await expect(invokerClient.listTools()).rejects.toThrow(/tools:read/);
      const refused = (await readerClient.callTool({
        name: 'solve_optimization',
        arguments: wyndor,
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(JSON.parse((refused.content[0] as { text: string }).text)).toMatchObject({
        code: 'insufficient_scope',
      });
    } finally {
      await invokerClient.close();
      await readerClient.close();
    }
  });

  it('should answer 405 to GET and DELETE in stateless mode', async () => {
    const get = await testApp.http.get('/mcp').set('X-API-Key', tenant.key).expect(405);
    await testApp.http.delete('/mcp').set('X-API-Key', tenant.key).expect(405);

    expect(get.body.code).toBe('method_not_allowed');
  });

  it('should record MCP invocations like REST ones', async () => {
    const agent = await createTenantWithKey(testApp, ['tools:read', 'tools:invoke']);
    const agentClient = await connect(agent.key);
    try {
      await agentClient.callTool({ name: 'solve_optimization', arguments: wyndor });
    } finally {
      await agentClient.close();
    }
    await testApp.app.get(InvocationRecorder).flush();

    const records = await testApp.app.get(InvocationRepository).listByTenant(agent.tenantId, 10);

    expect(records).toEqual([
      expect.objectContaining({
        tenantId: agent.tenantId,
        keyId: agent.keyId,
        tool: 'solve_optimization',
        channel: 'mcp',
        status: 'succeeded',
        outcome: 'optimal',
      }),
    ]);
  });

  describe('under tight tool limits', () => {
    const TIMEOUT_MS = 1000;
    let limitedApp: TestApp;
    let limited: Client;

    const problemOf = (result: CallToolResult) =>
      JSON.parse((result.content[0] as { text: string }).text) as Record<string, unknown>;

    beforeAll(async () => {
      limitedApp = await startTestApp({
        TOOLS_DEFAULT_TIMEOUT_MS: String(TIMEOUT_MS),
        // Above the 50 columns of the long market split solve.
        TOOLS_MAX_VARIABLES: '60',
      });
      const agent = await createTenantWithKey(limitedApp, ['tools:read', 'tools:invoke']);
      limited = new Client({ name: 'e2e-agent', version: '1.0.0' });
      await limited.connect(
        new StreamableHTTPClientTransport(new URL(`${limitedApp.baseUrl}/mcp`), {
          requestInit: { headers: { 'X-API-Key': agent.key } },
        }),
      );
    });

    afterAll(async () => {
      await limited.close();
      await limitedApp.close();
    });

    it('should answer a call past its timeout as a tool error carrying tool_timeout', async () => {
      const started = Date.now();
      const result = (await limited.callTool({
        name: 'solve_optimization',
        arguments: { lp: marketSplit(5) },
      })) as CallToolResult;

      expect(result.isError).toBe(true);
      expect(problemOf(result)).toMatchObject({
        code: 'tool_timeout',
        status: 504,
        timeoutMs: TIMEOUT_MS,
        invocationId: expect.stringMatching(/^inv_/),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    });

    it('should answer a model over the size limits as a tool error carrying model_too_large', async () => {
      const names = Array.from({ length: 61 }, (_, i) => `v${i}`);
      const structured = (await limited.callTool({
        name: 'solve_optimization',
        arguments: {
          sense: 'minimize',
          variables: names.map((name) => ({ name })),
          objective: { terms: {} },
          constraints: [],
        },
      })) as CallToolResult;
      const text = (await limited.callTool({
        name: 'solve_optimization',
        arguments: { lp: ['Minimize', ` obj: ${names.join(' + ')}`, 'End'].join('\n') },
      })) as CallToolResult;

      for (const result of [structured, text]) {
        expect(result.isError).toBe(true);
        expect(problemOf(result)).toMatchObject({
          code: 'model_too_large',
          status: 413,
          title: 'Model too large',
          dimension: 'variables',
          actual: 61,
          limit: 60,
        });
      }
    });
  });
});
