import { Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { Explanation, SolutionInput } from '../explain/explanation.types';
import { SolutionExplainer } from '../explain/solution.explainer';
import { OptimizationService } from '../optimization/optimization.service';
import { OptimizationModel } from '../optimization/optimization-model.types';
import { ToolContext, ToolDefinition } from '../registry/tool.definition';
import { explainInputSchema, explanationSchema } from '../schemas/explanation.schema';

interface ExplainInput {
  model: OptimizationModel;
  solution?: SolutionInput;
}

@Injectable()
export class ExplainSolutionTool implements ToolDefinition<ExplainInput, Explanation> {
  readonly name = 'explain_solution';
  readonly version = '1.0.0';
  readonly title = 'Explain a solution';
  readonly description =
    'Explains a solution of a structured model in plain words: which constraints are binding and ' +
    'their shadow prices, how much slack the others have, and which decisions sit at their ' +
    'bounds. Pass the model and a solve_optimization output, or only the model to solve it first.';
  readonly category = 'analysis' as const;
  readonly inputSchema = explainInputSchema;
  readonly outputSchema = explanationSchema;
  readonly cost = 1;
  private readonly explainer = new SolutionExplainer();

  constructor(private readonly optimization: OptimizationService) {}

  /** A solution passed in is only checked against the model: nothing to solve. */
  usesSolver(input: ExplainInput): boolean {
    return input.solution === undefined;
  }

  async execute(input: ExplainInput, context: ToolContext): Promise<Explanation> {
    let solution = input.solution;
    if (solution === undefined) {
      solution = await this.optimization.solve(input.model, context.signal, '/model');
    } else {
      this.optimization.check(input.model, '/model');
      const errors = this.explainer.mismatches(input.model, solution);
      if (errors.length > 0) {
        throw new AppException('tool_input_invalid', 'The solution does not belong to this model', {
          errors,
        });
      }
    }

    return this.explainer.explain(input.model, solution);
  }
}
