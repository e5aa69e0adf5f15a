// The fixture loader: reads fixtures/**/*.yaml, checks each file against the fixture format
// (lib/fixture-format.ts) and turns writes into the exact bytes that go on the wire.
// Errors name the file and the field, e.g. `fixtures/core/a.yaml: response.writes[2]: has both data and base64`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Fixture, FixtureWrite } from './fixture-format.ts';
import { isObject } from './json.ts';

export type { Fixture, FixtureWrite } from './fixture-format.ts';

/** <repo>/fixtures */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export class FixtureError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'FixtureError';
  }
}

const cache = new Map<string, Fixture[]>();

/**
 * Every fixture under `dir` (recursively, `*.yaml`), validated, sorted by relative path.
 * Cached per directory; `clearFixtureCache()` forgets it (e.g. after the recorder wrote a file).
 */
export function loadFixtures(dir: string = FIXTURES_DIR): Fixture[] {
  const key = path.resolve(dir);
  const cached = cache.get(key);
  if (cached) return cached;
  const files = listYaml(key).sort();
  const fixtures: Fixture[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const fixture = loadFixtureFile(file);
    const other = seen.get(fixture.id);
    if (other) throw new FixtureError(display(file), 'id', `"${fixture.id}" is already the id of ${display(other)}`);
    seen.set(fixture.id, file);
    fixtures.push(fixture);
  }
  cache.set(key, fixtures);
  return fixtures;
}

export function clearFixtureCache(dir?: string): void {
  if (dir === undefined) cache.clear();
  else cache.delete(path.resolve(dir));
}

/** One fixture by id, or undefined. */
export function findFixture(id: string, dir: string = FIXTURES_DIR): Fixture | undefined {
  return loadFixtures(dir).find((f) => f.id === id);
}

/** Read, parse and validate one fixture file. `label` is the name used in errors (default: the path). */
export function loadFixtureFile(file: string, label: string = display(file)): Fixture {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FixtureError(label, '', `cannot be read (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new FixtureError(label, '', `is not valid YAML: ${(e as Error).message}`);
  }
  return validateFixture(value, label, path.basename(file).replace(/\.yaml$/, ''));
}

/** Is this a streamed answer (exact writes)? */
export function isStreamFixture(fixture: Fixture): boolean {
  return Array.isArray(fixture.response.writes);
}

/** The bytes of one write. */
export function fixtureBytes(write: FixtureWrite): Uint8Array {
  if ('base64' in write) return new Uint8Array(Buffer.from(write.base64, 'base64'));
  return new TextEncoder().encode(write.data);
}

/** The whole body exactly as it goes on the wire (writes concatenated, raw text, or JSON.stringify(body)). */
export function fixtureBodyBytes(fixture: Fixture): Uint8Array {
  const r = fixture.response;
  if (r.writes) {
    const parts = r.writes.map(fixtureBytes);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.byteLength;
    }
    return out;
  }
  if (r.raw !== undefined) return new TextEncoder().encode(r.raw);
  return new TextEncoder().encode(JSON.stringify(r.body));
}

// ---------------------------------------------------------------------------------------------
// validation

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const TOP_KEYS = ['id', 'title', 'source', 'request', 'match', 'response', 'expect', 'tags'];
const SOURCE_KEYS = ['kind', 'from', 'at', 'notes'];
const RESPONSE_KEYS = ['status', 'headers', 'body', 'raw', 'writes'];
const MATCH_TYPES: Record<string, (v: unknown) => boolean> = {
  stream: isBool,
  tools: isBool,
  tool_choice: (v) => ['none', 'auto', 'required', 'named'].includes(v as string),
  response_format: (v) => ['text', 'json_object', 'json_schema'].includes(v as string),
  n: (v) => Number.isInteger(v) && (v as number) >= 1,
  logprobs: isBool,
  include_usage: isBool,
  has_image: isBool,
  last_role: (v) => ['user', 'tool', 'system', 'developer', 'assistant'].includes(v as string),
  contains: (v) => typeof v === 'string' && v.length > 0,
};
const CHOICE_KEYS = ['content', 'reasoning', 'refusal', 'tool_calls', 'finish_reason'];
const EXPECT_KEYS = [...CHOICE_KEYS, 'choices', 'usage', 'error'];

function isBool(v: unknown): boolean {
  return typeof v === 'boolean';
}

/**
 * Check a parsed value against the fixture format. `label` names the file in errors;
 * `expectedId` (the file name without .yaml), when given, must equal `id`.
 */
export function validateFixture(value: unknown, label: string, expectedId?: string): Fixture {
  const fail = (field: string, problem: string): never => {
    throw new FixtureError(label, field, problem);
  };
  const known = (obj: Record<string, unknown>, keys: string[], where: string) => {
    for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(where ? `${where}.${k}` : k, `unknown field (expected one of ${keys.join(', ')})`);
  };
  if (!isObject(value)) return fail('', 'is not a YAML mapping');
  const f = value;
  known(f, TOP_KEYS, '');

  if (typeof f.id !== 'string' || !f.id) fail('id', 'missing or not a string');
  const id = f.id as string;
  if (!KEBAB.test(id)) fail('id', `"${id}" is not kebab-case (lower-case letters, digits, single hyphens)`);
  if (expectedId !== undefined && id !== expectedId) fail('id', `"${id}" differs from the file name "${expectedId}"`);
  if (typeof f.title !== 'string' || !f.title.trim()) fail('title', 'missing or empty');

  if (!isObject(f.source)) fail('source', 'missing or not a mapping');
  const source = f.source as Record<string, unknown>;
  known(source, SOURCE_KEYS, 'source');
  if (source.kind !== 'recorded' && source.kind !== 'handwritten') fail('source.kind', 'must be "recorded" or "handwritten"');
  if (typeof source.from !== 'string' || !source.from.trim()) fail('source.from', 'missing or empty');
  if (source.at !== undefined && (typeof source.at !== 'string' || !ISO_DATE.test(source.at)))
    fail('source.at', 'must be an ISO date (YYYY-MM-DD or a full timestamp)');
  if (source.notes !== undefined && typeof source.notes !== 'string') fail('source.notes', 'must be a string');

  if (!isObject(f.request)) fail('request', 'missing or not a mapping');

  if (f.match !== undefined) {
    if (!isObject(f.match)) fail('match', 'not a mapping');
    const match = f.match as Record<string, unknown>;
    for (const [k, v] of Object.entries(match)) {
      const check = MATCH_TYPES[k];
      if (!check) fail(`match.${k}`, `unknown rule (expected one of ${Object.keys(MATCH_TYPES).join(', ')})`);
      if (!check(v)) fail(`match.${k}`, `invalid value ${JSON.stringify(v)}`);
    }
    if (Object.keys(match).length === 0) fail('match', 'is empty (leave it out instead)');
  }

  if (!isObject(f.response)) fail('response', 'missing or not a mapping');
  const response = f.response as Record<string, unknown>;
  known(response, RESPONSE_KEYS, 'response');
  if (!Number.isInteger(response.status) || (response.status as number) < 100 || (response.status as number) > 599)
    fail('response.status', 'must be an integer HTTP status (100-599)');
  if (!isObject(response.headers)) fail('response.headers', 'missing or not a mapping');
  const headers = response.headers as Record<string, unknown>;
  for (const [name, v] of Object.entries(headers)) {
    if (name !== name.toLowerCase()) fail(`response.headers.${name}`, 'header names must be lower-case');
    if (typeof v !== 'string') fail(`response.headers.${name}`, 'value must be a string');
  }
  if (typeof headers['content-type'] !== 'string' || !headers['content-type'])
    fail('response.headers.content-type', 'missing');
  const bodies = ['body', 'raw', 'writes'].filter((k) => response[k] !== undefined);
  if (bodies.length !== 1)
    fail('response', bodies.length === 0 ? 'needs one of body, raw, writes' : `has ${bodies.join(' and ')}: exactly one is allowed`);
  if (response.raw !== undefined && typeof response.raw !== 'string') fail('response.raw', 'must be a string');
  if (response.writes !== undefined) {
    if (!Array.isArray(response.writes)) fail('response.writes', 'must be a list');
    (response.writes as unknown[]).forEach((w, i) => {
      const where = `response.writes[${i}]`;
      if (!isObject(w)) return fail(where, 'not a mapping');
      known(w, ['delay', 'data', 'base64'], where);
      if (typeof w.delay !== 'number' || !Number.isFinite(w.delay) || w.delay < 0)
        fail(`${where}.delay`, 'missing, or not a number >= 0 (milliseconds)');
      const hasData = w.data !== undefined;
      const hasBase64 = w.base64 !== undefined;
      if (hasData === hasBase64) fail(where, hasData ? 'has both data and base64' : 'needs data or base64');
      if (hasData && typeof w.data !== 'string') fail(`${where}.data`, 'must be a string');
      if (hasBase64 && (typeof w.base64 !== 'string' || !BASE64.test(w.base64))) fail(`${where}.base64`, 'is not valid base64');
    });
  }

  if (f.expect !== undefined) validateExpect(f.expect, fail);
  if (f.tags !== undefined && (!Array.isArray(f.tags) || f.tags.some((t) => typeof t !== 'string')))
    fail('tags', 'must be a list of strings');

  return f as unknown as Fixture;
}

function validateExpect(value: unknown, fail: (field: string, problem: string) => never): void {
  if (!isObject(value)) return fail('expect', 'not a mapping');
  for (const k of Object.keys(value)) if (!EXPECT_KEYS.includes(k)) fail(`expect.${k}`, `unknown field (expected one of ${EXPECT_KEYS.join(', ')})`);
  validateChoice(value, 'expect', fail);
  if (value.choices !== undefined) {
    if (!Array.isArray(value.choices) || value.choices.length < 2) fail('expect.choices', 'must be a list of 2 or more (only for n > 1)');
    (value.choices as unknown[]).forEach((c, i) => {
      const where = `expect.choices[${i}]`;
      if (!isObject(c)) return fail(where, 'not a mapping');
      for (const k of Object.keys(c)) if (!CHOICE_KEYS.includes(k)) fail(`${where}.${k}`, 'unknown field');
      validateChoice(c, where, fail);
    });
  }
  if (value.usage !== undefined) {
    const u = value.usage;
    if (!isObject(u)) return fail('expect.usage', 'not a mapping');
    for (const k of ['prompt_tokens', 'completion_tokens', 'total_tokens'])
      if (!Number.isInteger(u[k]) || (u[k] as number) < 0) fail(`expect.usage.${k}`, 'must be an integer >= 0');
    for (const k of Object.keys(u))
      if (!['prompt_tokens', 'completion_tokens', 'total_tokens'].includes(k)) fail(`expect.usage.${k}`, 'unknown field');
  }
  if (value.error !== undefined) {
    const e = value.error;
    if (!isObject(e)) return fail('expect.error', 'not a mapping');
    if (!Number.isInteger(e.status)) fail('expect.error.status', 'must be an integer');
    if (typeof e.type !== 'string') fail('expect.error.type', 'must be a string');
    if (e.code !== undefined && e.code !== null && typeof e.code !== 'string') fail('expect.error.code', 'must be a string or null');
    for (const k of Object.keys(e)) if (!['status', 'type', 'code'].includes(k)) fail(`expect.error.${k}`, 'unknown field');
  }
}

function validateChoice(c: Record<string, unknown>, where: string, fail: (field: string, problem: string) => never): void {
  if (c.content !== undefined && c.content !== null && typeof c.content !== 'string') fail(`${where}.content`, 'must be a string or null');
  if (c.reasoning !== undefined && typeof c.reasoning !== 'string') fail(`${where}.reasoning`, 'must be a string');
  if (c.refusal !== undefined && c.refusal !== null && typeof c.refusal !== 'string') fail(`${where}.refusal`, 'must be a string or null');
  if (c.finish_reason !== undefined && typeof c.finish_reason !== 'string') fail(`${where}.finish_reason`, 'must be a string');
  if (c.tool_calls !== undefined) {
    if (!Array.isArray(c.tool_calls)) return fail(`${where}.tool_calls`, 'must be a list');
    c.tool_calls.forEach((t, i) => {
      const at = `${where}.tool_calls[${i}]`;
      if (!isObject(t)) return fail(at, 'not a mapping');
      if (typeof t.name !== 'string' || !t.name) fail(`${at}.name`, 'missing');
      if (!('arguments' in t)) fail(`${at}.arguments`, 'missing (the parsed JSON of the arguments)');
      if (t.id !== undefined && typeof t.id !== 'string') fail(`${at}.id`, 'must be a string');
      for (const k of Object.keys(t)) if (!['id', 'name', 'arguments'].includes(k)) fail(`${at}.${k}`, 'unknown field');
    });
  }
}

// ---------------------------------------------------------------------------------------------

function listYaml(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new FixtureError(display(dir), '', `the fixtures directory cannot be read (${(e as Error).message})`);
  }
  // a cassette's folder (a whole recorded suite run, mock-server/cassette.ts) holds no fixtures
  if (entries.includes('cassette.jsonl') || entries.includes('verdicts.yaml')) return [];
  const out: string[] = [];
  for (const name of entries) {
    if (name.startsWith('.')) continue; // hidden files, the recorder's temp files
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...listYaml(full));
    else if (name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

function display(file: string): string {
  if (typeof process === 'undefined') return file; // the browser bundle (mock-server/browser-build.ts)
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
