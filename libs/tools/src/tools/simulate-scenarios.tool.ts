import { Injectable } from '@nestjs/common';
import { ToolContext, ToolDefinition } from '../registry/tool.definition';
import { ScenarioSimulator } from '../scenarios/scenario.simulator';
import { SimulateInput, SimulationReport } from '../scenarios/scenario.types';
import { simulateInputSchema, simulationReportSchema } from '../schemas/scenario.schema';

@Injectable()
export class SimulateScenariosTool implements ToolDefinition<SimulateInput, SimulationReport> {
  readonly name = 'simulate_scenarios';
  readonly version = '1.0.0';
  readonly title = 'Simulate what-if scenarios';
  readonly description =
    'Re-solves a structured model under named scenarios that change right-hand sides, objective ' +
    'coefficients or variable bounds (set, add or multiply, by a value or a seeded uniform/normal ' +
    "random draw) and reports each scenario's objective and changed decisions side by side.";
  readonly category = 'analysis' as const;
  readonly inputSchema = simulateInputSchema;
  readonly outputSchema = simulationReportSchema;
  readonly cost = 5;

  constructor(private readonly simulator: ScenarioSimulator) {}

  execute(input: SimulateInput, context: ToolContext): Promise<SimulationReport> {
    return this.simulator.simulate(input, context.signal);
  }
}
