import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FieldError } from '@app/common';
import { JsonSchema } from '../schemas/json-schema';

const MAX_REPORTED_ERRORS = 100;

/**
 * Compiles each tool's schemas once and turns Ajv's errors into field errors that name the
 * exact failing path (JSON pointer), every one of them, not only the first.
 */
export class SchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  /** Throws at boot when a schema is not valid JSON Schema, so a bad tool never ships. */
  register(name: string, schema: JsonSchema): void {
    this.validators.set(name, this.ajv.compile(schema));
  }

  validate(name: string, input: unknown): FieldError[] {
    const validate = this.validators.get(name);
    if (!validate) {
      throw new Error(`No input schema registered for tool ${name}`);
    }
    if (validate(input)) {
      return [];
    }

    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const error of validate.errors ?? []) {
      // if/then/else adds a summary error on top of the branch's own, which says nothing more.
      if (error.keyword === 'if') {
        continue;
      }
      const field = this.field(error);
      const key = `${field}\u0000${error.message ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        errors.push({ field: field === '' ? '/' : field, message: error.message ?? 'is invalid' });
      }
    }

    return errors.slice(0, MAX_REPORTED_ERRORS);
  }

  /** Points at the missing or extra property itself rather than at its parent object. */
  private field(error: ErrorObject): string {
    const params = error.params as Record<string, unknown>;
    const extra =
      error.keyword === 'required'
        ? params.missingProperty
        : error.keyword === 'additionalProperties'
          ? params.additionalProperty
          : undefined;
    if (typeof extra !== 'string') {
      return error.instancePath;
    }

    return `${error.instancePath}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
}
