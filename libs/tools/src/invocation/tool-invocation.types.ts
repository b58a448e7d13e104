import { TenantPrincipal } from '@app/auth';
import { InvocationChannel } from './invocation.record';

export interface InvocationRequest {
  caller: TenantPrincipal;
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
