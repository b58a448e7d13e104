import { Module } from '@nestjs/common';
import { ToolsController } from './http/tools.controller';
import { InvocationRecorder } from './invocation/invocation.recorder';
import { InvocationRepository } from './invocation/invocation.repository';
import { ToolInvocationService } from './invocation/tool-invocation.service';
import { McpController } from './mcp/mcp.controller';
import { McpServerFactory } from './mcp/mcp-server.factory';
import { OptimizationService } from './optimization/optimization.service';
import { TOOL_DEFINITIONS } from './registry/tool.definition';
import { ToolRegistry } from './registry/tool.registry';
import { ScenarioSimulator } from './scenarios/scenario.simulator';
import { SolverPool } from './solver/solver-pool.service';
import { ExecuteWorkflowTool } from './tools/execute-workflow.tool';
import { ExplainSolutionTool } from './tools/explain-solution.tool';
import { GetWorkflowTemplatesTool } from './tools/get-workflow-templates.tool';
import { SimulateScenariosTool } from './tools/simulate-scenarios.tool';
import { SolveOptimizationTool } from './tools/solve-optimization.tool';

const BUILT_IN_TOOLS = [
  SolveOptimizationTool,
  ExplainSolutionTool,
  SimulateScenariosTool,
  GetWorkflowTemplatesTool,
  ExecuteWorkflowTool,
];

/**
 * Decision tools: the registry, the HiGHS worker pool, the one invocation service, and the REST
 * and MCP transports over it. Needs the global config and DynamoDB modules.
 */
@Module({
  controllers: [ToolsController, McpController],
  providers: [
    SolverPool,
    OptimizationService,
    ScenarioSimulator,
    ...BUILT_IN_TOOLS,
    {
      provide: TOOL_DEFINITIONS,
      inject: BUILT_IN_TOOLS,
      useFactory: (...tools: unknown[]) => tools,
    },
    ToolRegistry,
    InvocationRepository,
    InvocationRecorder,
    ToolInvocationService,
    McpServerFactory,
  ],
  exports: [
    ToolRegistry,
    ToolInvocationService,
    OptimizationService,
    InvocationRepository,
    InvocationRecorder,
  ],
})
export class ToolsModule {}
