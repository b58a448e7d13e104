import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, TenantRoute } from '@app/auth';
import { tenantCaller } from '../invocation/tenant-caller';
import { ToolInvocationService } from '../invocation/tool-invocation.service';
import { ToolRegistry } from '../registry/tool.registry';
import { InvocationResultDto } from './invocation-result.dto';
import { InvokeToolDto } from './invoke-tool.dto';
import { ListToolsQueryDto } from './list-tools.query.dto';
import { ToolDetailDto } from './tool-detail.dto';
import { ToolListDto } from './tool-list.dto';

@ApiTags('tools')
@Controller('v1/tools')
export class ToolsController {
  constructor(
    private readonly registry: ToolRegistry,
    private readonly invocations: ToolInvocationService,
  ) {}

  @Get()
  @TenantRoute('tools:read')
  @ApiOperation({ summary: 'List the tools, optionally of one category' })
  @ApiOkResponse({ type: ToolListDto })
  list(@Query() query: ListToolsQueryDto): ToolListDto {
    const tools = this.registry.list(query.category).map((tool) => ({
      name: tool.name,
      version: tool.version,
      title: tool.title,
      description: tool.description,
      category: tool.category,
      requiredScope: tool.requiredScope,
      timeoutMs: tool.timeoutMs,
      cost: tool.cost,
    }));

    return { tools };
  }

  @Get(':name')
  @TenantRoute('tools:read')
  @ApiOperation({ summary: 'Describe one tool, with its input and output JSON Schemas' })
  @ApiOkResponse({ type: ToolDetailDto })
  get(@Param('name') name: string): ToolDetailDto {
    return this.registry.descriptor(name);
  }

  @Post(':name/invoke')
  @HttpCode(200)
  @TenantRoute('tools:invoke')
  @ApiOperation({ summary: 'Invoke a tool; failures are problem+json with tool_* codes' })
  @ApiOkResponse({ type: InvocationResultDto })
  invoke(
    @Param('name') name: string,
    @Body() body: InvokeToolDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InvocationResultDto> {
    return this.invocations.invoke({
      caller: tenantCaller(principal),
      tool: name,
      input: body.input,
      channel: 'rest',
      timeoutMs: body.timeoutMs,
    });
  }
}
