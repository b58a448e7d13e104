import { TenantPrincipal } from '@app/auth';
import { InvocationChannel } from './invocation.record';

export interface InvocationRequest {
  caller: TenantPrincipal;
  /** The transport request that asked for it, so every line about the invocation joins up. */
  requestId: string;
  tool: string;
  input: unknown;
  channel: InvocationChannel;
  /** A caller may shorten the tool's timeout, never extend it. */
  timeoutMs?: number;
}

export interface InvocationResult {
  invocationId: string;
  tool: string;
  version: string;
  status: 'succeeded';
  output: unknown;
  durationMs: number;
}
