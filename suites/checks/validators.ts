// Reusable validators. Each returns a finding (a sentence saying what is wrong) or nothing.
import { formatIssues, validate, type SchemaName } from '../../lib/validate.ts';
import type { Exchange, Validator } from './types.ts';

/** The response status is `expected` (default 200). */
export function status(expected = 200): Validator {
  return (x) => {
    if (x.status !== expected) return `expected HTTP ${expected}, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
  };
}

/** The content-type is `type` (parameters such as charset allowed). */
export function contentType(type: string): Validator {
  return (x) => {
    const got = x.contentType.split(';')[0].trim().toLowerCase();
    if (got !== type) return `content-type must be ${type}, got "${x.contentType || '(none)'}"`;
  };
}

/** Why a body is not JSON: its parse error, or the transport failure that cut it short. */
function notJson(x: Exchange, what = 'the body'): string {
  return `${what} is not JSON${x.jsonError ? ` (${x.jsonError})` : x.error ? ` (${x.error})` : ''}`;
}

/** The body is JSON. */
export const jsonBody: Validator = (x) => {
  if (x.json === undefined) return notJson(x);
};

/** The JSON body validates against a contract schema. */
export function schema(name: SchemaName): Validator {
  return (x) => {
    if (x.json === undefined) return notJson(x);
    const r = validate(name, x.json);
    if (!r.ok) return `the body does not validate as ${name}:\n${indent(formatIssues(r.errors))}`;
  };
}

/** Every data event of the stream validates against a contract schema. */
export function everyEvent(name: SchemaName): Validator {
  return (x) => {
    for (const [i, e] of (x.events ?? []).entries()) {
      if (e.error) return `event ${i} is not JSON (${e.error}): ${JSON.stringify(e.data.slice(0, 200))}`;
      const r = validate(name, e.json);
      if (!r.ok) return `event ${i} does not validate as ${name}:\n${indent(formatIssues(r.errors))}`;
    }
  };
}

/** A stream completed: headers 200, read to its end without a network error. */
export const streamCompleted: Validator = (x) => {
  if (x.status !== 200) return `expected HTTP 200 for the stream, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
  if (x.error) return `the stream did not complete: ${x.error} after ${x.sse?.events.length ?? 0} events`;
  if (!x.events || x.events.length === 0) return 'the stream carried no data events';
};

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

/** The first choice of a non-stream completion. */
export function firstChoice(x: Exchange): any {
  return (x.json as any)?.choices?.[0];
}

export function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** A short user conversation; protocol checks do not depend on what the model says. */
export function chat(text = 'Say hello in five words.', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messages: [{ role: 'user', content: text }], max_tokens: 64, ...extra };
}

const DAY_S = 86_400;
/** 2015-01-01T00:00:00Z: no chat completion API existed before it */
const EARLIEST_S = 1_420_070_400;

/**
 * Why a `created` value is not a plausible Unix time in seconds, or nothing. An old value is legal
 * (caching gateways and recorded answers replay it), so only a value in the future by more than a
 * day is judged against the clock.
 */
export function createdProblem(created: unknown, nowMs = Date.now()): string | undefined {
  if (typeof created !== 'number' || !Number.isInteger(created)) return `${JSON.stringify(created) ?? 'undefined'}, not an integer number of seconds`;
  if (created > 1e11) return `${created}: it looks like milliseconds, not seconds (as milliseconds it is ${isoOrInvalid(created)})`;
  if (created < EARLIEST_S) return `${created} (${isoOrInvalid(created * 1000)}), before 2015: not a plausible Unix time in seconds`;
  const now = Math.floor(nowMs / 1000);
  if (created > now + DAY_S) return `${created} (${isoOrInvalid(created * 1000)}), more than a day in the future (now ${now})`;
}

function isoOrInvalid(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'an invalid date' : d.toISOString();
}
