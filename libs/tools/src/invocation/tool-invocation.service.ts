import { Inject, Injectable, Logger } from '@nestjs/common';
import { TENANT_DIRECTORY, TenantDirectory } from '@app/auth';
import { AppException } from '@app/common';
import { ToolDefinition, ToolDescriptor } from '../registry/tool.definition';
import { ToolRegistry } from '../registry/tool.registry';
import { SolveAbortedError } from '../solver/solve-aborted.error';
import { SolverPool } from '../solver/solver-pool.service';
import { newInvocationId } from './invocation-id.util';
import { InvocationRecord } from './invocation.record';
import { InvocationRecorder } from './invocation.recorder';
import { TenantConcurrency } from './tenant-concurrency.limiter';
import { InvocationRequest, InvocationResult } from './tool-invocation.types';

const DEADLINE = Symbol('deadline');
/**
 * Reason for the abort that follows every decided invocation; without one, abort() builds a
 * DOMException with a stack trace on every request.
 */
const SETTLED = Symbol('settled');
/** The tenants module's default, for a directory answer that carries no setting. */
const DEFAULT_MAX_CONCURRENT_JOBS = 4;

/**
 * The one way any tool runs, whether called over REST, MCP or (later) from a job: it finds the
 * tool, checks the caller's scope, validates the input, runs the tool under a deadline that
 * stops its solves for real, maps every failure to a tool problem code and records the
 * invocation. Transports only translate requests and answers.
 */
@Injectable()
export class ToolInvocationService {
  private readonly logger = new Logger(ToolInvocationService.name);
  private readonly concurrency: TenantConcurrency;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly recorder: InvocationRecorder,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    pool: SolverPool,
  ) {
    this.concurrency = new TenantConcurrency(pool.capacity);
  }

  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    const tool = this.registry.get(request.tool);
    const descriptor = this.registry.descriptor(tool.name);
    const invocationId = newInvocationId();
    const started = performance.now();
    const finish = (
      status: InvocationRecord['status'],
      fields: Partial<InvocationRecord> = {},
    ): number => {
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      this.record(request, descriptor, invocationId, status, durationMs, fields);

      return durationMs;
    };

    try {
      this.admit(request, descriptor);
    } catch (error) {
      finish('failed', { errorCode: (error as AppException).code, cost: 0 });
      throw error;
    }

    const timeoutMs = Math.min(descriptor.timeoutMs, request.timeoutMs ?? Number.POSITIVE_INFINITY);
    // TODO: enforce the caller's rate limit and the tenant's quota (descriptor.cost) here, so
    // REST, MCP and jobs are limited alike; no limits module exists yet.
    const tenantId = request.caller.tenantId;
    const limited = tool.usesSolver !== false;
    if (limited) {
      try {
        await this.acquireSlot(request, invocationId);
      } catch (error) {
        const problem = this.toProblem(error, tool, timeoutMs, invocationId);
        finish('failed', { errorCode: problem.code, cost: 0 });
        throw problem;
      }
    }

    let output: unknown;
    try {
      output = await this.run(tool, request, invocationId, timeoutMs);
    } catch (error) {
      const problem = this.toProblem(error, tool, timeoutMs, invocationId);
      finish('failed', { errorCode: problem.code });
      throw problem;
    } finally {
      if (limited) {
        this.concurrency.release(tenantId);
      }
    }

    // Recorded outside the try, so a success can never be recorded a second time as a failure.
    const durationMs = finish('succeeded', { outcome: this.outcomeOf(output) });

    return {
      invocationId,
      tool: tool.name,
      version: tool.version,
      status: 'succeeded',
      output,
      durationMs,
    };
  }

  private admit(request: InvocationRequest, descriptor: ToolDescriptor): void {
    if (!request.caller.scopes.includes(descriptor.requiredScope)) {
      throw new AppException(
        'insufficient_scope',
        `Invoking ${descriptor.name} needs the scope ${descriptor.requiredScope}.`,
        { extensions: { requiredScopes: [descriptor.requiredScope] } },
      );
    }

    const errors = this.registry.validateInput(descriptor.name, request.input);
    if (errors.length > 0) {
      throw new AppException(
        'tool_input_invalid',
        `The input does not match the input schema of ${descriptor.name}.`,
        { errors },
      );
    }
  }

  /**
   * Takes one of the tenant's concurrent places. The cap comes from the tenant directory's
   * cache, which the access guard has just filled, so admission reads no database.
   */
  private async acquireSlot(request: InvocationRequest, invocationId: string): Promise<void> {
    const { tenantId, keyId } = request.caller;
    const access = await this.tenants.findAccess(tenantId);
    const maxConcurrentJobs = access?.maxConcurrentJobs ?? DEFAULT_MAX_CONCURRENT_JOBS;
    try {
      this.concurrency.acquire(tenantId, maxConcurrentJobs);
    } catch (error) {
      this.logger.warn(
        {
          tenantId,
          keyId,
          invocationId,
          tool: request.tool,
          limit: this.concurrency.limitFor(maxConcurrentJobs),
        },
        'Tenant at its concurrency limit; invocation refused',
      );
      throw error;
    }
  }

  /**
   * Races the tool against its deadline. Aborting the signal terminates any worker running one
   * of its solves; the race makes the answer leave on time even if the tool awaits something else.
   */
  private async run(
    tool: ToolDefinition,
    request: InvocationRequest,
    invocationId: string,
    timeoutMs: number,
  ): Promise<unknown> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(DEADLINE);
        reject(new SolveAbortedError(DEADLINE));
      }, timeoutMs);
    });

    try {
      return await Promise.race([
        tool.execute(request.input, {
          invocationId,
          tenantId: request.caller.tenantId,
          signal: controller.signal,
        }),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
      // Stops any solve still queued or running once the answer is decided, whatever it was.
      controller.abort(SETTLED);
    }
  }

  private toProblem(
    error: unknown,
    tool: ToolDefinition,
    timeoutMs: number,
    invocationId: string,
  ): AppException {
    if (error instanceof SolveAbortedError) {
      return new AppException(
        'tool_timeout',
        `${tool.name} did not finish within ${timeoutMs} ms and was stopped.`,
        { extensions: { invocationId, timeoutMs } },
      );
    }
    if (error instanceof AppException) {
      // Same problem, plus the id that finds this invocation in the records and logs.
      return new AppException(error.code, error.detail, {
        errors: error.errors,
        headers: error.headers,
        extensions: { ...error.extensions, invocationId },
        cause: error.cause,
      });
    }

    this.logger.error(
      {
        tool: tool.name,
        invocationId,
        err: error,
      },
      'Tool failed unexpectedly',
    );

    return new AppException(
      'tool_failed',
      `${tool.name} failed. Quote ${invocationId} when reporting it.`,
      {
        extensions: { invocationId },
      },
    );
  }

  private outcomeOf(output: unknown): string | undefined {
    const status = (output as { status?: unknown } | null)?.status;

    return typeof status === 'string' ? status : undefined;
  }

  private record(
    request: InvocationRequest,
    descriptor: ToolDescriptor,
    id: string,
    status: InvocationRecord['status'],
    durationMs: number,
    fields: Partial<InvocationRecord>,
  ): void {
    const record: InvocationRecord = {
      tenantId: request.caller.tenantId,
      id,
      keyId: request.caller.keyId,
      tool: descriptor.name,
      toolVersion: descriptor.version,
      channel: request.channel,
      status,
      durationMs,
      cost: descriptor.cost,
      createdAt: Date.now(),
      ...fields,
    };
    this.logger.log(
      {
        invocationId: id,
        tenantId: record.tenantId,
        keyId: record.keyId,
        tool: record.tool,
        channel: record.channel,
        status,
        errorCode: record.errorCode,
        outcome: record.outcome,
        durationMs,
      },
      'Tool invoked',
    );
    this.recorder.record(record);
  }
}
