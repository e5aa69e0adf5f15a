// How much the synthesizer generates for one schema (structured output, tool arguments), and the
// error it throws past that. Any schema a client sends is answered within these bounds or refused
// with a clear 400: a schema asking for a billion characters must never freeze the server.

export const GENERATION_LIMITS = {
  /** characters in one string (minLength above this is refused) */
  stringLength: 100_000,
  /** items in one array (minItems above this is refused) */
  arrayItems: 10_000,
  /** properties of one object (minProperties above this is refused) */
  objectProperties: 10_000,
  /** nesting of the generated value (and of $ref and combinator chains) */
  depth: 64,
  /** values generated for one schema */
  values: 100_000,
  /** characters generated for one schema, strings and names together */
  characters: 1_000_000,
  /** JSON nesting of a schema document (checked before the schema is validated or walked) */
  schemaNesting: 512,
  /** length of a `pattern` */
  patternLength: 1_000,
  /** nesting of groups in a `pattern` */
  patternNesting: 100,
} as const;

/** A schema the mock cannot (or must not) generate a value for: the message says why, for a 400. */
export class SchemaGenerationError extends Error {
  override name = 'SchemaGenerationError';
  /** where the schema is in the request, e.g. response_format or tools[0].function.parameters */
  param?: string;
  /** the whole refusal, e.g. "Invalid schema for response_format 'person': ..." */
  refusal?: string;
}

/** Counts what one generation has produced and stops it at the limits. */
export class GenerationBudget {
  private values = 0;
  private characters = 0;

  spendValue(): void {
    if (++this.values > GENERATION_LIMITS.values) {
      throw new SchemaGenerationError(`the schema needs more than ${GENERATION_LIMITS.values} values`);
    }
  }

  spendCharacters(count: number): void {
    this.characters += count;
    if (this.characters > GENERATION_LIMITS.characters) {
      throw new SchemaGenerationError(`the schema needs more than ${GENERATION_LIMITS.characters} characters in all`);
    }
  }
}
