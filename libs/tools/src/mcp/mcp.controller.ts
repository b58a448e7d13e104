import { Body, Controller, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, TenantRoute } from '@app/auth';
import { tenantCaller } from '../invocation/tenant-caller.util';
import { McpSdkLoader } from './mcp-sdk.loader';
import { McpServerFactory } from './mcp-server.factory';
import { invalidToolCall } from './tool-call.params';

/**
 * Model Context Protocol over Streamable HTTP, stateless: each POST gets its own transport and
 * server, bound to the caller the access guard admitted (X-API-Key, like REST). GET and DELETE
 * have no route, so they answer 405: there are no sessions or server-initiated streams.
 */
@ApiTags('mcp')
@Controller('mcp')
export class McpController {
  private readonly logger = new Logger(McpController.name);
  private readonly sdk = new McpSdkLoader();

  constructor(private readonly factory: McpServerFactory) {}

  @Post()
  @HttpCode(200)
  @TenantRoute()
  @ApiOperation({ summary: 'MCP JSON-RPC endpoint (Streamable HTTP, stateless)' })
  @ApiBody({ schema: { type: 'object', description: 'A JSON-RPC 2.0 MCP message.' } })
  @ApiOkResponse({
    description:
      'The JSON-RPC 2.0 response. Protocol errors (unknown tool, invalid params) come as `error`; ' +
      'a tool failure is a result with `isError` and the problem document as its text content.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['jsonrpc', 'id'],
          properties: {
            jsonrpc: { type: 'string', enum: ['2.0'] },
            id: { oneOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
            result: { type: 'object', additionalProperties: true },
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'integer', example: -32602 },
                message: { type: 'string' },
                data: {},
              },
            },
          },
        },
      },
    },
  })
  async handle(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const caller = tenantCaller(principal);
    const invalid = invalidToolCall(body);
    if (invalid !== undefined) {
      await reply.status(200).type('application/json').send(invalid);

      return;
    }

    const sdk = await this.sdk.load();
    // Headers set by hooks so far (request id, security headers) would be lost once the raw
    // response is handed over, since Fastify's send path no longer runs.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) {
        reply.raw.setHeader(name, value);
      }
    }
    reply.hijack();

    const server = this.factory.create(sdk, caller, request.id);
    const transport = new sdk.StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });

    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, body);
    } catch (error) {
      this.logger.error({ requestId: request.id, err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: { code: -32603, message: 'Internal error' },
            id: null,
          }),
        );
      }
    }
  }
}
