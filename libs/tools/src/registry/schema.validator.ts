import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FieldError } from '@app/common';
import { JsonSchema } from '../schemas/json-schema.types';

const MAX_REPORTED_ERRORS = 100;

/**
 * Compiles each tool's schema once, on first use or when warmed, and turns Ajv's errors into
 * field errors that name the exact failing path (JSON pointer), every one of them. Compiling is
 * the costliest step of a boot, so it is kept off the path to the first answer.
 */
export class SchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  register(name: string, schema: JsonSchema): void {
    this.schemas.set(name, schema);
  }

  /** Compiles every schema not compiled yet, one per turn of the event loop. */
  warm(): void {
    const pending = [...this.schemas.keys()].filter((name) => !this.validators.has(name));
    const next = (): void => {
      const name = pending.shift();
      if (name !== undefined) {
        this.compiled(name);
        setImmediate(next);
      }
    };

    next();
  }

  validate(name: string, input: unknown): FieldError[] {
    const validate = this.compiled(name);
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

  private compiled(name: string): ValidateFunction {
    const existing = this.validators.get(name);
    if (existing !== undefined) {
      return existing;
    }

    const schema = this.schemas.get(name);
    if (schema === undefined) {
      throw new Error(`No schema registered for tool ${name}`);
    }

    const validate = this.ajv.compile(schema);
    this.validators.set(name, validate);

    return validate;
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
