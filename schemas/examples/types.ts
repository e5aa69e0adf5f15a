// The shape of every schemas/examples/NAME.examples.ts file.

export interface InvalidExample {
  /** what is wrong, in words */
  why: string;
  data: unknown;
  /** JSON pointer of the first issue lib/validate.ts must report ('' for the root) */
  path: string;
  /** its keyword (required, type, enum, const, minimum, ...) */
  keyword: string;
  /** a substring of its message, when the wording matters */
  message?: string;
}

export interface Examples {
  /** real shapes that must validate; `name` says where they come from */
  valid: { name: string; data: unknown }[];
  invalid: InvalidExample[];
}
