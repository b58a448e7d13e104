/** A JSON Schema document (draft-07, as Ajv validates it), kept as plain data. */
export type JsonSchema = Record<string, unknown>;
