import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ToolFieldErrorDto } from './tool-field-error.dto';

/**
 * A tool route's problem+json (RFC 9457), with the members tool failures add to the common
 * ones: the invocation id to quote, the timeout that stopped a solve, the failing input paths.
 */
export class ToolProblemDto {
  @ApiProperty({ example: 'https://api.dcisionai.com/problems/tool_timeout' })
  type!: string;

  @ApiProperty({ example: 'Tool timed out' })
  title!: string;

  @ApiProperty({ example: 504 })
  status!: number;

  @ApiProperty({ example: 'tool_timeout' })
  code!: string;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ description: 'Present once the invocation started; quote it to support.' })
  invocationId?: string;

  @ApiPropertyOptional({ description: 'tool_timeout: the deadline that stopped the tool.' })
  timeoutMs?: number;

  @ApiPropertyOptional({
    description: 'concurrency_limit: invocations the tenant may run at once.',
  })
  limit?: number;

  @ApiPropertyOptional({ type: [ToolFieldErrorDto], description: 'Every failing input path.' })
  errors?: ToolFieldErrorDto[];
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
};

/** The route-specific failures of the tools routes, each naming the codes it carries. */
const TOOL_PROBLEMS = {
  400: {
    description:
      '`tool_input_invalid`: the input breaks the tool schema or the model is inconsistent (every failing path in `errors`); `validation_failed` for the request envelope.',
  },
  404: { description: '`tool_not_found`: no tool of that name.' },
  413: {
    description:
      '`model_too_large`: more variables, constraints or LP text than the configured limits.',
  },
  422: {
    description:
      '`tool_failed`: the tool could not produce an answer (for example unreadable LP text).',
  },
  429: {
    description:
      "`concurrency_limit`: the tenant already runs its maximum of concurrent solving invocations (`maxConcurrentJobs`, at most the pool's capacity less one).",
    headers: RETRY_AFTER,
  },
  503: { description: '`service_unavailable`: the solver queue is full.', headers: RETRY_AFTER },
  504: { description: '`tool_timeout`: the tool ran past its timeout and was stopped.' },
} as const;

export type ToolProblemStatus = keyof typeof TOOL_PROBLEMS;

/** Documents the given problem answers with the tool problem schema. */
export function ApiToolProblems(...statuses: ToolProblemStatus[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ToolProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        ...TOOL_PROBLEMS[status],
        content: {
          'application/problem+json': { schema: { $ref: getSchemaPath(ToolProblemDto) } },
        },
      }),
    ),
  );
}
