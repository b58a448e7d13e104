import { Injectable } from '@nestjs/common';
import { OptimizationService } from '../optimization/optimization.service';
import { ModelInput, SolveResult } from '../optimization/optimization-model.types';
import { ToolContext, ToolDefinition } from '../registry/tool.definition';
import { modelInputSchema, solveResultSchema } from '../schemas/model.schema';

@Injectable()
export class SolveOptimizationTool implements ToolDefinition<ModelInput, SolveResult> {
  readonly name = 'solve_optimization';
  readonly version = '1.0.0';
  readonly title = 'Solve an optimization model';
  readonly description =
    'Solves a linear or mixed-integer model with HiGHS. Send either a structured model (sense, ' +
    'variables with bounds and type continuous/integer/binary, named linear constraints, linear ' +
    'objective, options) or CPLEX LP text as {"lp": "..."}. Answers status (optimal, infeasible, ' +
    'unbounded, time_limit, error), objective value, variable values and, for continuous models, ' +
    'constraint duals (shadow prices), slacks and reduced costs.';
  readonly category = 'optimization' as const;
  readonly inputSchema = modelInputSchema;
  readonly outputSchema = solveResultSchema;
  readonly cost = 1;

  constructor(private readonly optimization: OptimizationService) {}

  execute(input: ModelInput, context: ToolContext): Promise<SolveResult> {
    return this.optimization.solve(input, context.signal);
  }
}
