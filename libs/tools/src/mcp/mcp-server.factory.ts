import { Injectable } from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult, ListToolsResult } from '@modelcontextprotocol/sdk/types.js';
import { TenantPrincipal } from '@app/auth';
import { AppException, ERROR_CATALOG } from '@app/common';
import { isDatabaseUnavailableError } from '@app/dynamo';
import { ToolInvocationService } from '../invocation/tool-invocation.service';
import { ToolRegistry } from '../registry/tool.registry';
import { McpSdk } from './mcp-sdk.loader';

const SERVER_INFO = { name: 'dcisionai-platform', version: '1.0.0' };

/**
 * Builds an MCP server over the tool registry for one caller. The low-level SDK Server is used
 * (not McpServer) because our tools already carry JSON Schemas; McpServer expects zod shapes.
 * Calls go through the same invocation service as REST, so scopes, validation, limits and
 * records are identical. The SDK itself arrives as an argument, loaded on the first /mcp request.
 */
@Injectable()
export class McpServerFactory {
  constructor(
    private readonly registry: ToolRegistry,
    private readonly invocations: ToolInvocationService,
  ) {}

  create(sdk: McpSdk, caller: TenantPrincipal, requestId: string): Server {
    const { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } = sdk.types;
    const server = new sdk.Server(SERVER_INFO, {
      capabilities: { tools: { listChanged: false } },
      instructions:
        'DcisionAI decision tools: solve LP/MIP models with HiGHS, explain solutions, simulate ' +
        'scenarios and run ready-made business workflows (see get_workflow_templates).',
    });

    server.setRequestHandler(ListToolsRequestSchema, (): ListToolsResult => {
      if (!caller.scopes.includes('tools:read')) {
        throw new McpError(ErrorCode.InvalidRequest, 'Listing tools needs the scope tools:read.');
      }

      return {
        tools: this.registry.list().map((tool) => ({
          name: tool.name,
          title: tool.title,
          description: tool.description,
          inputSchema: tool.inputSchema as ListToolsResult['tools'][number]['inputSchema'],
          outputSchema: tool.outputSchema as ListToolsResult['tools'][number]['outputSchema'],
          annotations: { title: tool.title, readOnlyHint: true, openWorldHint: false },
          _meta: {
            'dcisionai/version': tool.version,
            'dcisionai/category': tool.category,
            'dcisionai/requiredScope': tool.requiredScope,
            'dcisionai/timeoutMs': tool.timeoutMs,
            'dcisionai/cost': tool.cost,
          },
        })),
      };
    });

    server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
      try {
        const result = await this.invocations.invoke({
          caller,
          requestId,
          tool: request.params.name,
          input: request.params.arguments ?? {},
          channel: 'mcp',
        });
        const output = result.output as Record<string, unknown>;

        return {
          content: [{ type: 'text', text: JSON.stringify(output) }],
          structuredContent: output,
          _meta: {
            'dcisionai/invocationId': result.invocationId,
            'dcisionai/durationMs': result.durationMs,
          },
        };
      } catch (error) {
        return this.failure(sdk, error);
      }
    });

    return server;
  }

  /**
   * An unknown tool is a protocol error; every other failure is a tool result with isError, so
   * the agent reads the same problem document a REST client would get.
   */
  private failure(sdk: McpSdk, error: unknown): CallToolResult {
    const { ErrorCode, McpError } = sdk.types;
    // The invocation service leaves database faults raw for REST's problem filter; an agent gets
    // the same 503, never the driver's message.
    if (isDatabaseUnavailableError(error)) {
      return this.failure(
        sdk,
        new AppException(
          'database_unavailable',
          'The database did not answer in time. Retry shortly.',
        ),
      );
    }
    if (!(error instanceof AppException)) {
      throw error;
    }
    if (error.code === 'tool_not_found') {
      throw new McpError(ErrorCode.InvalidParams, error.detail);
    }

    const problem = {
      code: error.code,
      status: error.status,
      title: ERROR_CATALOG[error.code].title,
      detail: error.detail,
      ...error.extensions,
      ...(error.errors ? { errors: error.errors } : {}),
    };

    return { isError: true, content: [{ type: 'text', text: JSON.stringify(problem) }] };
  }
}
