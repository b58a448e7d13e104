import { Inject, Injectable, Logger } from '@nestjs/common';
import { TENANT_DIRECTORY, TenantDirectory } from '@app/auth';
import { AppException, ErrorCode } from '@app/common';
import { isDatabaseUnavailableError } from '@app/dynamo';
import { ToolDefinition, ToolDescriptor } from '../registry/tool.definition';
import { ToolRegistry } from '../registry/tool.registry';
import { SolveAbortedError } from '../solver/solve-aborted.error';
import { SolverPool } from '../solver/solver-pool.service';
import { InvocationDeadline } from './invocation.deadline';
import { newInvocationId } from './invocation-id.util';
import { InvocationRecord } from './invocation.record';
import { InvocationRecorder } from './invocation.recorder';
import { ConcurrencySlot, TenantConcurrency } from './tenant-concurrency.limiter';
import { InvocationRequest, InvocationResult } from './tool-invocation.types';

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
    this.concurrency = new TenantConcurrency(pool.capacity, pool.maxThreads);
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
    let slot: ConcurrencySlot | undefined;
    let deadline: InvocationDeadline | undefined;
    let ran = false;
    let output: unknown;
    try {
      // Only an invocation that will solve counts against the tenant's limit.
      if (tool.usesSolver?.(request.input) ?? true) {
        slot = await this.acquireSlot(request, invocationId);
      }

      // Waiting for the tenant's turn in the pool is part of the time the caller allowed.
      deadline = new InvocationDeadline(timeoutMs);
      if (slot !== undefined) {
        await deadline.race(slot.ready(deadline.signal));
      }

      ran = true;
      output = await deadline.race(
        tool.execute(request.input, {
          invocationId,
          tenantId: request.caller.tenantId,
          signal: deadline.signal,
        }),
      );
    } catch (error) {
      const { thrown, code } = this.toProblem(error, tool, timeoutMs, invocationId, request);
      finish('failed', { errorCode: code, cost: ran ? this.failureCost(code, descriptor) : 0 });
      throw thrown;
    } finally {
      deadline?.settle();
      slot?.release();
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
  private async acquireSlot(
    request: InvocationRequest,
    invocationId: string,
  ): Promise<ConcurrencySlot> {
    const { tenantId, keyId } = request.caller;
    const requestId = request.requestId;
    const access = await this.tenants.findAccess(tenantId);
    const maxConcurrentJobs = access?.maxConcurrentJobs ?? DEFAULT_MAX_CONCURRENT_JOBS;
    try {
      return this.concurrency.acquire(tenantId, maxConcurrentJobs);
    } catch (error) {
      this.logger.warn(
        {
          requestId,
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
   * What a failed invocation that reached its tool is charged. A timed-out one used all the
   * solver time it was given; any other failure is the caller's problem (4xx) or the service's
   * own refusal (503), and delivered nothing.
   */
  private failureCost(code: string, descriptor: ToolDescriptor): number {
    return code === 'tool_timeout' ? descriptor.cost : 0;
  }

  /**
   * The error to throw for a failure, and the code to record. Database faults are thrown
   * unchanged: the problem filter answers them 503 database_unavailable with Retry-After, which
   * wrapping them as a tool failure would turn into a 422 the caller cannot retry.
   */
  private toProblem(
    error: unknown,
    tool: ToolDefinition,
    timeoutMs: number,
    invocationId: string,
    request: InvocationRequest,
  ): { thrown: unknown; code: ErrorCode } {
    const fields = {
      requestId: request.requestId,
      tenantId: request.caller.tenantId,
      tool: tool.name,
      invocationId,
    };
    if (error instanceof SolveAbortedError) {
      const thrown = new AppException(
        'tool_timeout',
        `${tool.name} did not finish within ${timeoutMs} ms and was stopped.`,
        { extensions: { invocationId, timeoutMs } },
      );

      return { thrown, code: thrown.code };
    }
    if (error instanceof AppException) {
      // Same problem, plus the id that finds this invocation in the records and logs.
      const thrown = new AppException(error.code, error.detail, {
        errors: error.errors,
        headers: error.headers,
        extensions: { ...error.extensions, invocationId },
        cause: error.cause,
      });

      return { thrown, code: thrown.code };
    }
    if (isDatabaseUnavailableError(error)) {
      this.logger.warn({ ...fields, err: error }, 'Database unavailable during an invocation');

      return { thrown: error, code: 'database_unavailable' };
    }

    this.logger.error({ ...fields, err: error }, 'Tool failed unexpectedly');
    const thrown = new AppException(
      'tool_failed',
      `${tool.name} failed. Quote ${invocationId} when reporting it.`,
      {
        extensions: { invocationId },
      },
    );

    return { thrown, code: thrown.code };
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
        requestId: request.requestId,
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
