/** Where an invocation came from. */
export type InvocationChannel = 'rest' | 'mcp' | 'job';

/**
 * What is kept about one invocation: who, which tool, how it ended and how long it took.
 * Never the input or the output, which may hold a tenant's business data.
 */
export interface InvocationRecord {
  tenantId: string;
  id: string;
  keyId: string;
  tool: string;
  toolVersion: string;
  channel: InvocationChannel;
  status: 'succeeded' | 'failed';
  /** The problem code when the invocation failed. */
  errorCode?: string;
  /** The tool's own outcome when it reports one, e.g. optimal or infeasible. */
  outcome?: string;
  durationMs: number;
  /** Quota units charged; failures before the tool ran charge nothing. */
  cost: number;
  createdAt: number;
}
