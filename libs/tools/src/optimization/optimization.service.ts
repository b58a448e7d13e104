import { Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { SolverPool } from '../solver/solver-pool.service';
import { SolverTask, SolverTaskResult } from '../solver/solver-task.types';
import { LpModelWriter } from './lp-model.writer';
import { ModelChecker, ModelLimits } from './model.checker';
import {
  isLpTextModel,
  ModelInput,
  OptimizationModel,
  SolveOptions,
  SolveResult,
} from './optimization-model.types';
import { NameMapping, SolutionMapper } from './solution.mapper';

const MAX_SOLVER_MESSAGE = 300;

/**
 * Solves structured models and LP text on the worker pool. Building LP text and mapping results
 * run here on the main thread: they are linear in the model size and cheap next to the solve.
 */
@Injectable()
export class OptimizationService {
  private readonly logger = new Logger(OptimizationService.name);
  private readonly writer = new LpModelWriter();
  private readonly checker = new ModelChecker();
  private readonly mapper = new SolutionMapper();
  readonly limits: ModelLimits;

  constructor(
    private readonly pool: SolverPool,
    config: AppConfigService,
  ) {
    this.limits = {
      maxVariables: config.get('toolsMaxVariables'),
      maxConstraints: config.get('toolsMaxConstraints'),
      maxLpLength: config.get('toolsMaxLpLength'),
    };
  }

  /**
   * Validates (400), checks size limits (413), solves and maps back to the caller's names.
   * `path` prefixes error pointers when the model sits inside a larger tool input.
   */
  async solve(model: ModelInput, signal: AbortSignal, path = ''): Promise<SolveResult> {
    if (isLpTextModel(model)) {
      this.checker.assertLpLength(model.lp, this.limits);
      this.checker.assertLpObjective(model.lp, path);
      const result = await this.run(model.lp, model.options, signal, {
        limits: this.lpLimits(model.lp),
      });
      // HiGHS reads text it does not understand as an empty model and calls that optimal.
      this.checker.assertLpHasVariables(result, path);

      return result;
    }

    this.checker.assertValid(model, path);
    this.checker.assertWithinLimits(model, this.limits);
    const written = this.writer.write(model);
    this.checker.assertLpLength(written.lp, this.limits);

    return this.run(written.lp, model.options, signal, { mapping: written });
  }

  /** Validation alone, for tools that must reject a bad model before doing any other work. */
  check(model: OptimizationModel, path = ''): void {
    this.checker.assertValid(model, path);
    this.checker.assertWithinLimits(model, this.limits);
  }

  /**
   * The size limits the worker must check for LP text, or none when the text is too short to
   * exceed them: every column and every row takes at least two characters (a name or an
   * operator, and a separator or a bound), so most texts need no extra read.
   */
  private lpLimits(lp: string): SolverTask['limits'] {
    const { maxVariables, maxConstraints } = this.limits;
    if ((lp.length + 1) / 2 <= Math.min(maxVariables, maxConstraints)) {
      return undefined;
    }

    return { maxVariables, maxConstraints };
  }

  private async run(
    lp: string,
    options: SolveOptions | undefined,
    signal: AbortSignal,
    { mapping, limits }: { mapping?: NameMapping; limits?: SolverTask['limits'] } = {},
  ): Promise<SolveResult> {
    const highsOptions = this.highsOptions(options);
    let outcome = await this.pool.run({ lp, options: highsOptions, limits }, signal);
    let result = this.toResult(outcome, mapping);

    // Presolve can stop at "infeasible or unbounded"; without it HiGHS tells which one. The
    // size was checked by the first run.
    if (result.solverStatus === 'Primal infeasible or unbounded') {
      outcome = await this.pool.run({ lp, options: { ...highsOptions, presolve: 'off' } }, signal);
      result = this.toResult(outcome, mapping);
    }

    return result;
  }

  private toResult(outcome: SolverTaskResult, mapping?: NameMapping): SolveResult {
    if (!outcome.ok && outcome.oversize !== undefined) {
      this.checker.assertSize(outcome.oversize, this.limits);
    }
    if (!outcome.ok) {
      this.logger.warn({ error: outcome.error }, 'HiGHS rejected a model');
      throw new AppException(
        'tool_failed',
        `HiGHS could not solve the model: ${outcome.error.slice(0, MAX_SOLVER_MESSAGE)}`,
      );
    }

    return this.mapper.map(outcome.solution, outcome, mapping);
  }

  private highsOptions(options: SolveOptions = {}): SolverTask['options'] {
    const highs: SolverTask['options'] = {};
    if (options.timeLimitSeconds !== undefined) {
      highs.time_limit = options.timeLimitSeconds;
    }
    if (options.mipGap !== undefined) {
      highs.mip_rel_gap = options.mipGap;
    }
    if (options.presolve !== undefined) {
      highs.presolve = options.presolve ? 'on' : 'off';
    }

    return highs;
  }
}
