import { OpenAPIObject } from '@nestjs/swagger';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

type Responses = Record<string, { description?: string; content?: Record<string, unknown> }>;

/**
 * Every operation answers its errors as RFC 9457 problem+json. Rather than repeating that on each
 * route, the document gets one Problem schema, `4XX` and `5XX` responses on every operation, and
 * the problem body on every error response a route declares without one.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, Problem: PROBLEM_SCHEMA };

  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as { responses?: Responses }[]) {
      if (typeof operation !== 'object' || operation.responses === undefined) {
        continue;
      }

      const responses = operation.responses;
      for (const [status, response] of Object.entries(responses)) {
        if (/^[45]/.test(status) && response.content === undefined) {
          response.content = { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } };
        }
      }
      responses['4XX'] ??= problemResponse('The request was refused; `code` says why.');
      responses['5XX'] ??= problemResponse('The service could not answer; retry 503s later.');
    }
  }

  return document;
}

function problemResponse(description: string) {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } } };
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'An RFC 9457 problem, with a stable machine code and the request id.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId'],
  additionalProperties: true,
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      example: 'https://api.dcisionai.com/problems/not-found',
    },
    title: { type: 'string', example: 'Not found' },
    status: { type: 'integer', example: 404 },
    detail: { type: 'string' },
    instance: { type: 'string', example: '/v1/api-keys/key_123' },
    code: { type: 'string', example: 'not_found' },
    requestId: { type: 'string', example: '5f0c7a9e-3b1d-4c55-9e2f-2b8f3f0c1a7d' },
    errors: {
      type: 'array',
      description: 'Every offending field, for validation errors.',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};
