import { AppException, FieldError } from '@app/common';
import { InvokeToolDto } from './invoke-tool.dto';

const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 900_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads POST /v1/tools/:name/invoke's body without the global ValidationPipe, which deletes every
 * key named `__proto__`, `constructor` or `prototype` in place, at any depth: a model whose
 * objective or constraint names a variable `constructor` lost that term silently. The tool
 * validates its input against its own JSON Schema; only the envelope is checked here, with the
 * same problem the pipe answered (400 validation_failed naming each field).
 */
export function parseInvokeBody(body: unknown): InvokeToolDto {
  const errors: FieldError[] = [];
  const envelope = isPlainObject(body) ? body : {};
  for (const name of Object.keys(envelope)) {
    if (name !== 'input' && name !== 'timeoutMs') {
      errors.push({ field: name, message: `property ${name} should not exist` });
    }
  }
  if (!isPlainObject(envelope.input)) {
    errors.push({ field: 'input', message: 'input must be an object' });
  }
  const timeoutMs = envelope.timeoutMs;
  if (
    timeoutMs !== undefined &&
    (!Number.isInteger(timeoutMs) ||
      (timeoutMs as number) < MIN_TIMEOUT_MS ||
      (timeoutMs as number) > MAX_TIMEOUT_MS)
  ) {
    errors.push({
      field: 'timeoutMs',
      message: `timeoutMs must be an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`,
    });
  }
  if (errors.length > 0) {
    throw new AppException('validation_failed', 'The request has invalid fields.', { errors });
  }

  return { input: envelope.input as Record<string, unknown>, timeoutMs: timeoutMs as number };
}
