/** A JSON-RPC error answer for one request, as the MCP transport would write it. */
export interface JsonRpcErrorAnswer {
  jsonrpc: '2.0';
  id: string | number;
  error: { code: number; message: string };
}

/** JSON-RPC 2.0's "invalid params". */
const INVALID_PARAMS = -32602;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the params of a single `tools/call` request before the SDK sees it. The SDK parses a
 * request against its schema before any handler runs and answers a mismatch as -32603 (internal
 * error) with the raw zod issue list; a client sending bad params deserves -32602 and one
 * sentence. Batches and notifications are left to the SDK.
 */
export function invalidToolCall(body: unknown): JsonRpcErrorAnswer | undefined {
  if (!isPlainObject(body) || body.method !== 'tools/call') {
    return undefined;
  }

  const id = body.id;
  if (typeof id !== 'string' && typeof id !== 'number') {
    return undefined;
  }

  const problem = paramsProblem(body.params);
  if (problem === undefined) {
    return undefined;
  }

  return {
    jsonrpc: '2.0',
    id,
    error: { code: INVALID_PARAMS, message: `Invalid params: ${problem}.` },
  };
}

function paramsProblem(params: unknown): string | undefined {
  if (!isPlainObject(params)) {
    return 'params must be an object';
  }
  if (typeof params.name !== 'string' || params.name.length === 0) {
    return 'params.name must be the name of a tool';
  }
  if (params.arguments !== undefined && !isPlainObject(params.arguments)) {
    return 'params.arguments must be an object holding the tool input';
  }
  if (params._meta !== undefined && !isPlainObject(params._meta)) {
    return 'params._meta must be an object';
  }

  return undefined;
}
