// Generates a value that validates against a JSON Schema (the subset that tools and structured
// outputs use): type (and type arrays), properties/required/additionalProperties, min/maxProperties,
// enum, const, default, string formats, lengths and patterns (pattern-gen.ts), number bounds and
// multipleOf, arrays (items, prefixItems, min/maxItems, uniqueItems), nested objects, local $ref,
// allOf, anyOf/oneOf (the first non-null branch; past SHALLOW levels the null branch, and only the
// required properties, so that recursive schemas end). Deterministic and bounded
// (generation-limits.ts): a schema asking for more throws SchemaGenerationError, never loops.
// Also: is a value a usable JSON Schema?
import { requestSchemaProblem } from '../lib/validate.ts';
import { isObject } from '../lib/json.ts';
import { GENERATION_LIMITS, GenerationBudget, SchemaGenerationError } from './generation-limits.ts';
import { stringForPattern } from './pattern-gen.ts';

export { SchemaGenerationError };

type Schema = Record<string, any>;

/** past this depth (or this many $refs deep): required properties only, minItems items, anyOf's null branch */
const SHALLOW = 12;
const REFS = 3;

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '12:00:00Z',
  duration: 'P1D',
  email: 'mock@example.com',
  'idn-email': 'mock@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  iri: 'https://example.com/',
  'iri-reference': 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  regex: '.*',
  'json-pointer': '/a',
  'relative-json-pointer': '0',
  'uri-template': 'https://example.com/{id}',
};

export interface GenerateOptions {
  /** the property name the value is for (makes strings readable) */
  hint?: string;
  /** the document $refs resolve against (default: the schema itself) */
  root?: unknown;
}

interface Run {
  root: unknown;
  budget: GenerationBudget;
}

/** Where a value is generated: its nesting, and how many $refs were followed to get there. */
interface Level {
  depth: number;
  refs: number;
}

const TOP: Level = { depth: 0, refs: 0 };

/** One level down; past SHALLOW levels or REFS references, optional parts are left out. */
function below(at: Level, viaRef = false): Level {
  return { depth: at.depth + 1, refs: at.refs + (viaRef ? 1 : 0) };
}

function isDeep(at: Level): boolean {
  return at.depth > SHALLOW || at.refs > REFS;
}

/** A value valid against `schema`. Throws SchemaGenerationError when the schema asks for too much. */
export function generateFromSchema(schema: unknown, options: GenerateOptions = {}): unknown {
  return gen(schema, { root: options.root ?? schema, budget: new GenerationBudget() }, options.hint, TOP);
}

/** Arguments for a function tool: always a JSON object (an absent or empty schema gives `{}`). */
export function generateArguments(parameters: unknown): Record<string, unknown> {
  if (!isObject(parameters) || Object.keys(parameters).length === 0) return {};
  const value = generateFromSchema(parameters);
  return isObject(value) ? value : {};
}


/** Resolve a local reference (`#`, `#/$defs/x`, `#/definitions/x`, any JSON pointer into the root). */
export function resolveRef(ref: string, root: unknown): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: any = root;
  for (const raw of ref.slice(2).split('/')) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function merge(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (isObject(a.properties) || isObject(b.properties)) out.properties = { ...(a.properties ?? {}), ...(b.properties ?? {}) };
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  }
  return out;
}

function pickType(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && t.length > 0) return (t.find((x) => x !== 'null') ?? t[0]) as string;
  if (isObject(schema.properties) || Array.isArray(schema.required) || schema.additionalProperties !== undefined) return 'object';
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return 'array';
  if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern !== undefined || schema.format !== undefined) return 'string';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  return undefined;
}

/** A non-negative integer keyword, or the fallback. */
function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

function isNullSchema(s: unknown): boolean {
  return isObject(s) && (s.type === 'null' || s.const === null);
}

function gen(schema: unknown, run: Run, hint: string | undefined, at: Level): unknown {
  if (at.depth > GENERATION_LIMITS.depth) {
    throw new SchemaGenerationError(`the schema nests deeper than ${GENERATION_LIMITS.depth} levels (or refers to itself without an end)`);
  }
  run.budget.spendValue();
  if (schema === true || schema === undefined) return at.depth === 0 ? {} : text(hint, run);
  if (schema === false || !isObject(schema)) return null;
  let s: Schema = schema;
  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, run.root);
    const { $ref: _drop, ...rest } = s;
    s = isObject(target) ? merge(target, rest) : rest;
    at = { ...at, refs: at.refs + 1 };
  }
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((v: unknown) => v !== null) ?? s.enum[0];
  if ('default' in s && s.default !== undefined) return s.default;
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    let merged: Schema = { ...s, allOf: undefined };
    let viaRef = false;
    for (const part of s.allOf) {
      let p = part;
      if (isObject(p) && typeof p.$ref === 'string') {
        p = resolveRef(p.$ref, run.root) ?? {};
        viaRef = true;
      }
      if (isObject(p)) merged = merge(merged, p);
    }
    delete merged.allOf;
    return gen(merged, run, hint, below(at, viaRef));
  }
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (branches && branches.length > 0) {
    const preferred = isDeep(at) ? branches.find(isNullSchema) : branches.find((b: unknown) => !isNullSchema(b));
    const chosen = preferred ?? branches[0];
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    const viaRef = isObject(chosen) && typeof chosen.$ref === 'string';
    const branch = viaRef ? (resolveRef(chosen.$ref, run.root) ?? {}) : chosen;
    return gen(isObject(branch) ? merge(rest, branch) : branch, run, hint, below(at, viaRef));
  }
  switch (pickType(s)) {
    case 'object':
      return genObject(s, run, at);
    case 'array':
      return genArray(s, run, hint, at);
    case 'string':
      return genString(s, hint, run);
    case 'integer':
      return genNumber(s, true);
    case 'number':
      return genNumber(s, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return at.depth === 0 ? {} : text(hint, run);
  }
}

function genObject(s: Schema, run: Run, at: Level): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set<string>((Array.isArray(s.required) ? s.required : []).filter((n: unknown): n is string => typeof n === 'string'));
  const min = count(s.minProperties, 0);
  const max = count(s.maxProperties, Infinity);
  if (min > GENERATION_LIMITS.objectProperties) {
    throw new SchemaGenerationError(`the schema asks for an object of at least ${min} properties (the mock writes at most ${GENERATION_LIMITS.objectProperties})`);
  }
  if (required.size > max || min > max) throw new SchemaGenerationError(`the schema's object needs more properties than its maxProperties ${max} allows`);
  const props = isObject(s.properties) ? s.properties : {};
  let size = 0;
  for (const [name, sub] of Object.entries(props)) {
    if (isDeep(at) && !required.has(name)) continue;
    if (size >= max && !required.has(name)) continue;
    out[name] = gen(sub, run, name, below(at));
    size++;
  }
  const extra = isObject(s.additionalProperties) ? s.additionalProperties : undefined;
  for (const name of required) {
    if (Object.hasOwn(out, name)) continue;
    out[name] = extra ? gen(extra, run, name, below(at)) : text(name, run);
    size++;
  }
  if (size < min && s.additionalProperties === false) {
    throw new SchemaGenerationError(`the schema's object needs ${min} properties but allows only ${size}`);
  }
  for (let i = 1; size < min; i++) {
    const name = `extra_${i}`;
    if (Object.hasOwn(out, name)) continue;
    run.budget.spendCharacters(name.length);
    out[name] = extra ? gen(extra, run, name, below(at)) : text('extra', run);
    size++;
  }
  return out;
}

function genArray(s: Schema, run: Run, hint: string | undefined, at: Level): unknown[] {
  const prefix: unknown[] = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const itemSchema = Array.isArray(s.items) ? (s.additionalItems ?? {}) : s.items;
  const min = count(s.minItems, isDeep(at) ? 0 : 1);
  const max = count(s.maxItems, Infinity);
  if (min > GENERATION_LIMITS.arrayItems) {
    throw new SchemaGenerationError(`the schema asks for an array of at least ${min} items (the mock writes at most ${GENERATION_LIMITS.arrayItems})`);
  }
  if (typeof s.minItems === 'number' && min > max) throw new SchemaGenerationError(`the schema's array has minItems ${min} above maxItems ${max}`);
  const total = Math.min(Math.max(min, Math.min(prefix.length, GENERATION_LIMITS.arrayItems)), max);
  const out: unknown[] = [];
  for (let i = 0; i < total; i++) {
    if (i < prefix.length) out.push(gen(prefix[i], run, hint, below(at)));
    else if (itemSchema === false) break;
    else out.push(genItem(itemSchema, run, hint, at, i, s.uniqueItems === true));
  }
  return out;
}

function genItem(itemSchema: unknown, run: Run, hint: string | undefined, at: Level, i: number, unique: boolean): unknown {
  let sch = itemSchema;
  let viaRef = false;
  if (isObject(sch) && typeof sch.$ref === 'string') {
    sch = resolveRef(sch.$ref, run.root) ?? {};
    viaRef = true;
  }
  if (unique && isObject(sch)) {
    if (Array.isArray(sch.enum) && sch.enum.length > 0) return sch.enum[i % sch.enum.length];
    const t = pickType(sch);
    if (t === 'string' && !('const' in sch)) {
      run.budget.spendValue();
      const base = genString(sch, hint, run);
      return i === 0 ? base : genString({ ...sch, pattern: undefined }, `${hint ?? 'item'} ${i + 1}`, run);
    }
    if ((t === 'integer' || t === 'number') && !('const' in sch)) {
      run.budget.spendValue();
      const step = typeof sch.multipleOf === 'number' ? sch.multipleOf : 1;
      return (genNumber(sch, t === 'integer') as number) + i * step;
    }
    if (t === 'boolean') return i % 2 === 0;
  }
  return gen(sch ?? {}, run, hint, below(at, viaRef));
}

function text(hint: string | undefined, run: Run): string {
  const out = hint ? `example ${hint.slice(0, 200).replace(/[_-]+/g, ' ')}` : 'example';
  run.budget.spendCharacters(out.length);
  return out;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function genString(s: Schema, hint: string | undefined, run: Run): string {
  const min = count(s.minLength, 0);
  const max = count(s.maxLength, Infinity);
  if (min > GENERATION_LIMITS.stringLength) {
    throw new SchemaGenerationError(`the schema asks for a string of at least ${min} characters (the mock writes at most ${GENERATION_LIMITS.stringLength})`);
  }
  if (min > max) throw new SchemaGenerationError(`the schema's string has minLength ${min} above maxLength ${max}`);
  let value: string;
  if (typeof s.pattern === 'string') {
    value = stringForPattern(s.pattern, min, max);
  } else {
    value = typeof s.format === 'string' && FORMATS[s.format] !== undefined ? FORMATS[s.format] : text(hint, run);
    const length = codePoints(value);
    if (length < min) value += 'x'.repeat(min - length);
    else if (length > max) value = Array.from(value).slice(0, max).join('');
  }
  run.budget.spendCharacters(value.length);
  return value;
}

function genNumber(s: Schema, integer: boolean): number {
  let lo = -Infinity;
  let hi = Infinity;
  if (typeof s.minimum === 'number') lo = s.minimum;
  if (typeof s.exclusiveMinimum === 'number') lo = Math.max(lo, integer ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + 0.001);
  else if (s.exclusiveMinimum === true && typeof s.minimum === 'number') lo = s.minimum + (integer ? 1 : 0.001);
  if (typeof s.maximum === 'number') hi = s.maximum;
  if (typeof s.exclusiveMaximum === 'number') hi = Math.min(hi, integer ? Math.ceil(s.exclusiveMaximum) - 1 : s.exclusiveMaximum - 0.001);
  else if (s.exclusiveMaximum === true && typeof s.maximum === 'number') hi = s.maximum - (integer ? 1 : 0.001);
  let v = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? Math.min(hi, 1) : 1;
  if (integer) v = Math.ceil(v);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const m = s.multipleOf;
    v = Math.ceil(v / m - 1e-9) * m;
    v = Number(v.toPrecision(12));
  }
  if (v > hi && Number.isFinite(hi)) v = integer ? Math.floor(hi) : hi;
  return v;
}

// ---------------------------------------------------------------------------------------------
// is it a usable schema?

/** null when `schema` is a JSON Schema the generator can use; else a sentence saying why not. */
export function schemaProblem(schema: unknown): string | null {
  if (typeof schema === 'boolean') return null;
  if (!isObject(schema)) return 'the schema must be a JSON object';
  if (nestsDeeperThan(schema, GENERATION_LIMITS.schemaNesting)) return `the schema nests deeper than ${GENERATION_LIMITS.schemaNesting} levels`;
  const { $schema: _s, ...rest } = schema;
  const problem = requestSchemaProblem(rest);
  if (problem) return problem;
  const bad = findBadRef(rest, rest, 0);
  if (bad) return `the reference ${JSON.stringify(bad)} cannot be resolved (only local references like #/$defs/name are supported)`;
  return null;
}

function findBadRef(node: unknown, root: unknown, depth: number): string | null {
  if (depth > 64 || node === null || typeof node !== 'object') return null;
  if (Array.isArray(node)) {
    for (const v of node) {
      const bad = findBadRef(v, root, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && resolveRef(value, root) === undefined) return value;
    if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
    const bad = findBadRef(value, root, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** Does a JSON value nest deeper than `limit` levels? Iterative: any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
