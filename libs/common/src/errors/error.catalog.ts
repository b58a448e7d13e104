/**
 * Every error the API can answer, in one place: a stable machine code, its HTTP status and
 * the title shown in the problem+json body. Modules raise AppException with one of these codes;
 * the global problem filter is the only place that turns them into HTTP.
 */
export const ERROR_CATALOG = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 400, title: 'Validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  tool_input_invalid: { status: 400, title: 'Tool input is invalid' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  otp_invalid: { status: 401, title: 'One-time code rejected' },
  forbidden: { status: 403, title: 'Forbidden' },
  insufficient_scope: { status: 403, title: 'Insufficient scope' },
  ip_not_allowed: { status: 403, title: 'Client address not allowed' },
  tenant_suspended: { status: 403, title: 'Tenant suspended' },
  admin_only: { status: 403, title: 'Admin credential required' },
  step_up_required: { status: 403, title: 'Step-up verification required' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'Route not found' },
  tool_not_found: { status: 404, title: 'Tool not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  last_admin_key: { status: 409, title: 'Last active admin key' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  uri_too_long: { status: 414, title: 'URI too long' },
  model_too_large: { status: 413, title: 'Model too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  tool_failed: { status: 422, title: 'Tool failed' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  rate_limited: { status: 429, title: 'Too many requests' },
  quota_exceeded: { status: 429, title: 'Quota exceeded' },
  concurrency_limit: { status: 429, title: 'Too many concurrent invocations' },
  internal_error: { status: 500, title: 'Internal server error' },
  database_unavailable: { status: 503, title: 'Database unavailable' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  tool_timeout: { status: 504, title: 'Tool timed out' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const PROBLEM_TYPE_BASE = 'https://api.dcisionai.com/problems/';
