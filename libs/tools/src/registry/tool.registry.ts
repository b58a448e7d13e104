import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { afterListening, AppException, FieldError } from '@app/common';
import { AppConfigService } from '@app/config';
import { TOOL_DEFINITIONS, ToolCategory, ToolDefinition, ToolDescriptor } from './tool.definition';
import { SchemaValidator } from './schema.validator';

/**
 * Every tool the platform offers, looked up by name. Input validators are compiled right after
 * the server listens (or on first use); output validators only when asked, by tests that keep
 * every tool's output schema truthful.
 */
@Injectable()
export class ToolRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger(ToolRegistry.name);
  private readonly tools = new Map<string, ToolDefinition>();
  /** Built once: every invocation reads its tool's descriptor, and none of it changes. */
  private readonly descriptors = new Map<string, ToolDescriptor>();
  private readonly inputs = new SchemaValidator();
  private readonly outputs = new SchemaValidator();
  private readonly defaultTimeoutMs: number;
  private readonly maxTimeoutMs: number;

  constructor(
    @Inject(TOOL_DEFINITIONS) definitions: ToolDefinition[],
    config: AppConfigService,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.defaultTimeoutMs = config.get('toolsDefaultTimeoutMs');
    this.maxTimeoutMs = config.get('toolsMaxTimeoutMs');
    for (const definition of definitions) {
      if (this.tools.has(definition.name)) {
        throw new Error(`Tool ${definition.name} is registered twice`);
      }
      this.inputs.register(definition.name, definition.inputSchema);
      this.outputs.register(definition.name, definition.outputSchema);
      this.tools.set(definition.name, definition);
      this.descriptors.set(definition.name, Object.freeze(this.describe(definition)));
    }
    this.logger.log({ tools: [...this.tools.keys()] }, 'Tools registered');
  }

  onApplicationBootstrap(): void {
    afterListening(this.adapterHost, () => this.inputs.warm());
  }

  list(category?: ToolCategory): ToolDescriptor[] {
    return [...this.descriptors.values()].filter(
      (tool) => category === undefined || tool.category === category,
    );
  }

  /** Throws 404 tool_not_found for a name nobody registered. */
  get(name: string): ToolDefinition {
    const tool = this.tools.get(name);
    if (!tool) {
      throw new AppException('tool_not_found', `No tool is named "${name.slice(0, 100)}"`);
    }

    return tool;
  }

  descriptor(name: string): ToolDescriptor {
    return this.descriptors.get(this.get(name).name) as ToolDescriptor;
  }

  validateInput(name: string, input: unknown): FieldError[] {
    return this.inputs.validate(name, input);
  }

  /** Checks an output against the declared schema; used by tests to keep schemas truthful. */
  validateOutput(name: string, output: unknown): FieldError[] {
    return this.outputs.validate(name, output);
  }

  private describe(tool: ToolDefinition): ToolDescriptor {
    return {
      name: tool.name,
      version: tool.version,
      title: tool.title,
      description: tool.description,
      category: tool.category,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      requiredScope: tool.requiredScope ?? 'tools:invoke',
      timeoutMs: Math.min(tool.timeoutMs ?? this.defaultTimeoutMs, this.maxTimeoutMs),
      cost: tool.cost,
    };
  }
}
