import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, HotRoute, Principal, TenantRoute } from '@app/auth';
import { tenantCaller } from '../invocation/tenant-caller.util';
import { ToolInvocationService } from '../invocation/tool-invocation.service';
import { TOOL_CATEGORIES } from '../registry/tool.definition';
import { ToolRegistry } from '../registry/tool.registry';
import { InvocationResultDto } from './invocation-result.dto';
import { parseInvokeBody } from './invoke-tool.body';
import { InvokeToolDto } from './invoke-tool.dto';
import { parseListToolsQuery } from './list-tools.query';
import { ToolDetailDto } from './tool-detail.dto';
import { ToolListBodies } from './tool-list.bodies';
import { ToolListDto } from './tool-list.dto';
import { ApiToolProblems } from './tool-problem.dto';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

@ApiTags('tools')
@Controller('v1/tools')
export class ToolsController {
  private readonly listBodies: ToolListBodies;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly invocations: ToolInvocationService,
  ) {
    this.listBodies = new ToolListBodies(registry);
  }

  @Get()
  @TenantRoute('tools:read')
  @ApiOperation({ summary: 'List the tools, optionally of one category' })
  @ApiOkResponse({ type: ToolListDto })
  @ApiQuery({
    name: 'category',
    required: false,
    enum: TOOL_CATEGORIES,
    description: 'Only tools of this category.',
  })
  // Reads the query itself (parseListToolsQuery) rather than through the global ValidationPipe,
  // and answers bytes serialised at boot. Hot: a cached key is answered before Nest's pipeline.
  @HotRoute()
  list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const category = parseListToolsQuery(request.query as Record<string, unknown> | undefined);
    reply.header('content-type', JSON_CONTENT_TYPE);

    return this.listBodies.body(category);
  }

  @Get(':name')
  @TenantRoute('tools:read')
  @ApiOperation({ summary: 'Describe one tool, with its input and output JSON Schemas' })
  @ApiOkResponse({ type: ToolDetailDto })
  @ApiToolProblems(404)
  get(@Param('name') name: string): ToolDetailDto {
    return this.registry.descriptor(name);
  }

  @Post(':name/invoke')
  @HttpCode(200)
  @TenantRoute('tools:invoke')
  @ApiOperation({ summary: 'Invoke a tool; failures are problem+json with tool_* codes' })
  @ApiOkResponse({ type: InvocationResultDto })
  @ApiToolProblems(400, 404, 413, 422, 429, 503, 504)
  @ApiBody({ type: InvokeToolDto })
  invoke(
    @Param('name') name: string,
    // Typed as a plain record so the global ValidationPipe leaves the body untouched: it would
    // delete keys named constructor or __proto__ inside the model (see parseInvokeBody).
    @Body() raw: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<InvocationResultDto> {
    const caller = tenantCaller(principal);
    const body = parseInvokeBody(raw);

    return this.invocations.invoke({
      caller,
      requestId: request.id,
      tool: name,
      input: body.input,
      channel: 'rest',
      timeoutMs: body.timeoutMs,
    });
  }
}
