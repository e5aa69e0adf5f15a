// Small pure judges of a value or an exchange. Each returns a finding (a sentence saying what is
// wrong) or nothing; what a check does when one is missing is its own business.
import { formatIssues, validate, validateWithRequestSchema } from '../../../lib/validate.ts';
import { type SchemaName } from '../../../lib/schemas.ts';
import { isObject } from '../../../lib/json.ts';
import type { Validator } from '../types.ts';
import { notJson } from './gates.ts';
import { indent, show } from './text.ts';

type Json = Record<string, any>;

export const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'];

/** The content-type is `type` (parameters such as charset allowed). */
export function contentType(type: string): Validator {
  return (x) => {
    const got = x.contentType.split(';')[0].trim().toLowerCase();
    if (got !== type) return `content-type must be ${type}, got "${x.contentType || '(none)'}"`;
  };
}

/** The JSON body validates against a contract schema. */
export function schema(name: SchemaName): Validator {
  return (x) => {
    if (x.json === undefined) return notJson(x);
    return schemaProblem(name, x.json, 'the body');
  };
}

/** Why a value does not validate against a contract schema, or nothing. */
export function schemaProblem(name: SchemaName, value: unknown, what: string): string | undefined {
  const r = validate(name, value);
  if (!r.ok) return `${what} does not validate as ${name}:\n${indent(formatIssues(r.errors))}`;
}

/** Every data event of the stream validates against a contract schema. */
export function everyEvent(name: SchemaName): Validator {
  return (x) => {
    for (const [i, e] of (x.events ?? []).entries()) {
      if (e.error) return `event ${i} is not JSON (${e.error}): ${JSON.stringify(e.data.slice(0, 200))}`;
      const problem = schemaProblem(name, e.json, `event ${i}`);
      if (problem) return problem;
    }
  };
}

/** The body of an error response is the OpenAI envelope {"error": {"message", "type", ...}}. */
export const errorEnvelope: Validator = (x) => {
  if (x.json === undefined) return notJson(x, 'the error body');
  const r = validate('error', x.json);
  if (r.ok) return;
  // vLLM and llama.cpp put the HTTP status in `code` as a number: clients cope, so it is lenient.
  if (r.errors.every((e) => e.path === '/error/code' && e.keyword === 'type')) {
    return { lenient: `error.code is ${JSON.stringify((x.json as any).error.code)}, a number; OpenAI sends a string or null` };
  }
  return `the error body is not the OpenAI error envelope:\n${indent(formatIssues(r.errors))}`;
};

const DAY_S = 86_400;
/** 2015-01-01T00:00:00Z: no chat completion API existed before it */
const EARLIEST_S = 1_420_070_400;

/**
 * Why a `created` value is not a plausible Unix time in seconds, or nothing. An old value is legal
 * (caching gateways and recorded answers replay it). A value in the future is judged only against
 * the response's own `Date` header, the server's clock, and only when it is more than a day ahead of
 * that and of the suite's clock both: a clock of ours that is behind, or an answer replayed long after
 * it was recorded (no Date, or the recorded one), never makes a FAIL. Without a Date header only the
 * unit is judged.
 */
export function createdProblem(created: unknown, dateHeader?: string, nowMs = Date.now()): string | undefined {
  if (typeof created !== 'number' || !Number.isInteger(created)) return `${JSON.stringify(created) ?? 'undefined'}, not an integer number of seconds`;
  if (created > 1e11) return `${created}: it looks like milliseconds, not seconds (as milliseconds it is ${isoOrInvalid(created)})`;
  if (created < EARLIEST_S) return `${created} (${isoOrInvalid(created * 1000)}), before 2015: not a plausible Unix time in seconds`;
  const dated = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
  if (Number.isNaN(dated)) return undefined;
  if (created > Math.floor(Math.max(dated, nowMs) / 1000) + DAY_S) {
    return `${created} (${isoOrInvalid(created * 1000)}), more than a day after the response's Date header (${dateHeader}) and the suite's clock`;
  }
}

function isoOrInvalid(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'an invalid date' : d.toISOString();
}

/** total_tokens = prompt_tokens + completion_tokens, each a non-negative integer. */
export function usageArithmetic(u: Json, where: string): string | undefined {
  for (const field of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
    const v = u[field];
    if (!Number.isInteger(v) || v < 0) return `${where}.${field} is ${show(v)}, not a non-negative integer`;
  }
  if (u.total_tokens !== u.prompt_tokens + u.completion_tokens) {
    return `${where}.total_tokens is ${u.total_tokens}, but prompt_tokens + completion_tokens = ${u.prompt_tokens} + ${u.completion_tokens} = ${u.prompt_tokens + u.completion_tokens}`;
  }
}

/** Why a log probability is not one (a finite number at most 0), or nothing. */
export function logprobProblem(value: unknown, where: string): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${where}.logprob is ${show(value)}, not a finite number`;
  if (value > 0) return `${where}.logprob is ${value}, above 0 (a log probability is at most 0)`;
}

/** Validate `data` against a schema given in a request (tool parameters, response_format): the problems, or []. */
export function requestSchemaProblems(schema: unknown, data: unknown): string[] {
  if (!isObject(schema)) return [];
  const r = validateWithRequestSchema(schema, data);
  if (r.ok) return [];
  if ('compileError' in r) return [`the schema itself does not compile: ${r.compileError}`];
  return r.errors.map((e) => `${e.path || '(root)'} ${e.message}`);
}

/** The parsed JSON of a tool call's arguments, or why it does not parse. */
export function parseArguments(args: unknown): { value: unknown } | { problem: string } {
  if (typeof args !== 'string') return { problem: `arguments is ${args === null ? 'null' : typeof args} ${show(args)}, not a JSON-encoded string` };
  try {
    return { value: JSON.parse(args) };
  } catch (error) {
    return { problem: `arguments ${show(args)} is not valid JSON (${(error as Error).message})` };
  }
}
