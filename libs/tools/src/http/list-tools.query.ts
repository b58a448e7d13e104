import { AppException, FieldError } from '@app/common';
import { TOOL_CATEGORIES, ToolCategory } from '../registry/tool.definition';

const CATEGORIES: ReadonlySet<unknown> = new Set(TOOL_CATEGORIES);

/**
 * Reads GET /v1/tools' query with a set lookup instead of the global ValidationPipe, which cost
 * about 4% of the route even on an empty query. It answers exactly as the pipe did: 400
 * validation_failed for an unknown category (or a repeated one) and for any other parameter.
 */
export function parseListToolsQuery(
  query: Record<string, unknown> | undefined,
): ToolCategory | undefined {
  let category: ToolCategory | undefined;
  let errors: FieldError[] | undefined;
  for (const name in query) {
    const value = query[name];
    if (name === 'category' && CATEGORIES.has(value)) {
      category = value as ToolCategory;
    } else {
      errors ??= [];
      errors.push({
        field: name,
        message:
          name === 'category'
            ? `category must be one of the following values: ${TOOL_CATEGORIES.join(', ')}`
            : `property ${name} should not exist`,
      });
    }
  }
  if (errors !== undefined) {
    throw new AppException('validation_failed', 'The request has invalid fields.', { errors });
  }

  return category;
}
