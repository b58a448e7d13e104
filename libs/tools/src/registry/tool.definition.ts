import { Scope } from '@app/auth';
import { JsonSchema } from '../schemas/json-schema.types';

export const TOOL_CATEGORIES = ['optimization', 'analysis', 'workflows'] as const;

export type ToolCategory = (typeof TOOL_CATEGORIES)[number];

/** What a running tool may know about its invocation. It never sees credentials. */
export interface ToolContext {
  invocationId: string;
  tenantId: string;
  /** Aborts when the invocation's deadline passes; pass it to every solve. */
  signal: AbortSignal;
}

/** The public description of a tool, as listed by the registry and MCP. */
export interface ToolDescriptor {
  name: string;
  version: string;
  title: string;
  description: string;
  category: ToolCategory;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  requiredScope: Scope;
  timeoutMs: number;
  cost: number;
}

/**
 * A tool the registry can run. `execute` receives input already validated against
 * `inputSchema`, and throws AppException for anything the caller must see.
 */
export interface ToolDefinition<Input = unknown, Output = unknown> {
  readonly name: string;
  readonly version: string;
  readonly title: string;
  readonly description: string;
  readonly category: ToolCategory;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  /** Defaults to tools:invoke. */
  readonly requiredScope?: Scope;
  /** Defaults to TOOLS_DEFAULT_TIMEOUT_MS; never above TOOLS_MAX_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Quota units one invocation consumes. */
  readonly cost: number;
  /**
   * Whether an invocation with this (schema-valid) input will solve. Only those take one of the
   * tenant's concurrent places, so a tool that never solves, or an input that needs no solve,
   * is never refused for a busy tenant. Absent means always.
   */
  usesSolver?(input: Input): boolean;
  execute(input: Input, context: ToolContext): Promise<Output>;
}

export const TOOL_DEFINITIONS = Symbol('TOOL_DEFINITIONS');
