import { InternalServerError } from '@aws-sdk/client-dynamodb';
import { TenantAccess, TenantDirectory, TenantPrincipal } from '@app/auth';
import { AppConfigService, loadConfig } from '@app/config';
import { isDatabaseUnavailableError } from '@app/dynamo';
import { OptimizationService } from '../optimization/optimization.service';
import { ToolRegistry } from '../registry/tool.registry';
import { SolverPool } from '../solver/solver-pool.service';
import { GetWorkflowTemplatesTool } from '../tools/get-workflow-templates.tool';
import { SolveOptimizationTool } from '../tools/solve-optimization.tool';
import { InvocationRecord } from './invocation.record';
import { InvocationRecorder } from './invocation.recorder';
import { InvocationRepository } from './invocation.repository';
import { ToolInvocationService } from './tool-invocation.service';

/** A tenant directory whose database is down: every call fails as the SDK fails. */
class UnreachableDirectory implements TenantDirectory {
  readonly fault = new InternalServerError({
    message: 'Internal server error',
    $metadata: { httpStatusCode: 500 },
  });

  findAccess(): Promise<TenantAccess | undefined> {
    return Promise.reject(this.fault);
  }

  /** Nothing is cached, so every caller has to ask the database. */
  peekAccess(): TenantAccess | null | undefined {
    return undefined;
  }

  reserveKeySlot(): Promise<void> {
    return Promise.reject(this.fault);
  }

  releaseKeySlot(): Promise<void> {
    return Promise.reject(this.fault);
  }
}

/** Keeps written records in memory, as the invocations table would. */
class MemoryInvocations {
  readonly records: InvocationRecord[] = [];

  putBatch(batch: readonly InvocationRecord[]): Promise<InvocationRecord[]> {
    this.records.push(...batch);

    return Promise.resolve([]);
  }
}

const caller: TenantPrincipal = {
  kind: 'tenant',
  method: 'api_key',
  tenantId: 'ten_down',
  keyId: 'key_down',
  scopes: ['tools:invoke'],
};

const wyndor = {
  sense: 'maximize',
  variables: [{ name: 'x' }, { name: 'y' }],
  objective: { terms: { x: 3, y: 5 } },
  constraints: [{ name: 'plant 3', terms: { x: 3, y: 2 }, sense: '<=', rhs: 18 }],
};

describe(ToolInvocationService.name, () => {
  const config = new AppConfigService(loadConfig({ TOOLS_MAX_THREADS: '1' }));
  const pool = new SolverPool(config);
  const directory = new UnreachableDirectory();
  const invocations = new MemoryInvocations();
  const recorder = new InvocationRecorder(invocations as unknown as InvocationRepository);
  const optimization = new OptimizationService(pool, config);
  const service = new ToolInvocationService(
    new ToolRegistry(
      [new SolveOptimizationTool(optimization), new GetWorkflowTemplatesTool()],
      config,
    ),
    recorder,
    directory,
    pool,
  );

  afterAll(async () => {
    await recorder.flush();
    await pool.onApplicationShutdown();
  });

  it('should let a database fault during admission through unchanged, for the 503 answer', async () => {
    const attempt = service.invoke({
      caller,
      requestId: 'req-down-1',
      tool: 'solve_optimization',
      input: wyndor,
      channel: 'rest',
    });

    await expect(attempt).rejects.toBe(directory.fault);
    expect(isDatabaseUnavailableError(directory.fault)).toBe(true);
    await recorder.flush();
    expect(invocations.records).toEqual([
      expect.objectContaining({
        tenantId: 'ten_down',
        keyId: 'key_down',
        tool: 'solve_optimization',
        status: 'failed',
        errorCode: 'database_unavailable',
        cost: 0,
      }),
    ]);
  });

  it('should still run a tool that needs no solver place while the directory is down', async () => {
    const result = await service.invoke({
      caller,
      requestId: 'req-down-2',
      tool: 'get_workflow_templates',
      input: {},
      channel: 'mcp',
    });

    expect(result.status).toBe('succeeded');
    expect((result.output as { templates: unknown[] }).templates).toHaveLength(5);
  });
});
