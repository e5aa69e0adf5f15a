// Generates a value that validates against a JSON Schema (the subset that tools and structured
// outputs use): type (and type arrays), properties/required/additionalProperties, enum, const,
// default, string formats, lengths and patterns (from candidates), number bounds and multipleOf,
// arrays (items, prefixItems, min/maxItems, uniqueItems), nested objects, local $ref, allOf,
// anyOf/oneOf (the first non-null branch). Deterministic. Also: is a value a usable JSON Schema?
import { requestSchemaProblem } from '../lib/validate.ts';
import { isObject } from '../lib/json.ts';

type Schema = Record<string, any>;

const MAX_DEPTH = 12;

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

const PATTERN_CANDIDATES = [
  'abc',
  'ABC',
  'Abc',
  'a',
  'A',
  '0',
  '1',
  '12',
  '123',
  '12345',
  'a1',
  'A1',
  'abc123',
  'ABC123',
  'AB-123',
  'abc-def',
  'abc_def',
  '2024-01-01',
  '12:00',
  'mock@example.com',
  'https://example.com/',
  '+1234567890',
  'x',
  '',
];

export interface GenerateOptions {
  /** the property name the value is for (makes strings readable) */
  hint?: string;
  /** the document $refs resolve against (default: the schema itself) */
  root?: unknown;
}

export function generateFromSchema(schema: unknown, options: GenerateOptions = {}): unknown {
  return gen(schema, options.root ?? schema, options.hint, 0);
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
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
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

function gen(schema: unknown, root: unknown, hint: string | undefined, depth: number): unknown {
  if (depth > MAX_DEPTH * 4) return null; // absurdly nested combinators: give up rather than overflow
  if (schema === true || schema === undefined) return depth === 0 ? {} : text(hint);
  if (schema === false || !isObject(schema)) return null;
  let s: Schema = schema;
  if (typeof s.$ref === 'string') {
    const target = depth > MAX_DEPTH ? undefined : resolveRef(s.$ref, root);
    const { $ref: _drop, ...rest } = s;
    s = isObject(target) ? merge(target, rest) : rest;
  }
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((v: unknown) => v !== null) ?? s.enum[0];
  if ('default' in s && s.default !== undefined) return s.default;
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    let merged: Schema = { ...s, allOf: undefined };
    for (const part of s.allOf) {
      let p = part;
      if (isObject(p) && typeof p.$ref === 'string') p = resolveRef(p.$ref, root) ?? {};
      if (isObject(p)) merged = merge(merged, p);
    }
    delete merged.allOf;
    return gen(merged, root, hint, depth + 1);
  }
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (branches && branches.length > 0) {
    const nonNull = branches.find((b: any) => !(isObject(b) && b.type === 'null')) ?? branches[0];
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    const branch = isObject(nonNull) && typeof nonNull.$ref === 'string' ? resolveRef(nonNull.$ref, root) ?? {} : nonNull;
    return gen(isObject(branch) ? merge(rest, branch) : branch, root, hint, depth + 1);
  }
  switch (pickType(s)) {
    case 'object':
      return genObject(s, root, depth);
    case 'array':
      return genArray(s, root, hint, depth);
    case 'string':
      return genString(s, hint);
    case 'integer':
      return genNumber(s, true);
    case 'number':
      return genNumber(s, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return depth === 0 ? {} : text(hint);
  }
}

function genObject(s: Schema, root: unknown, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > MAX_DEPTH) return out;
  const props = isObject(s.properties) ? s.properties : {};
  for (const [name, sub] of Object.entries(props)) out[name] = gen(sub, root, name, depth + 1);
  const extra = isObject(s.additionalProperties) ? s.additionalProperties : undefined;
  for (const name of Array.isArray(s.required) ? s.required : []) {
    if (typeof name === 'string' && !(name in out)) out[name] = extra ? gen(extra, root, name, depth + 1) : text(name);
  }
  const min = typeof s.minProperties === 'number' ? s.minProperties : 0;
  for (let i = 1; Object.keys(out).length < min && s.additionalProperties !== false && i <= min; i++) {
    out[`extra_${i}`] = extra ? gen(extra, root, `extra_${i}`, depth + 1) : text('extra');
  }
  return out;
}

function genArray(s: Schema, root: unknown, hint: string | undefined, depth: number): unknown[] {
  if (depth > MAX_DEPTH) return [];
  const prefix: unknown[] = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const itemSchema = Array.isArray(s.items) ? (s.additionalItems ?? {}) : s.items;
  const max = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
  let count = Math.max(typeof s.minItems === 'number' ? s.minItems : 1, prefix.length);
  count = Math.min(count, max, 64);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    if (i < prefix.length) out.push(gen(prefix[i], root, hint, depth + 1));
    else if (itemSchema === false) break;
    else out.push(genItem(itemSchema, root, hint, depth, i, s.uniqueItems === true));
  }
  return out;
}

function genItem(itemSchema: unknown, root: unknown, hint: string | undefined, depth: number, i: number, unique: boolean): unknown {
  let sch = itemSchema;
  if (isObject(sch) && typeof sch.$ref === 'string') sch = resolveRef(sch.$ref, root) ?? {};
  if (unique && isObject(sch)) {
    if (Array.isArray(sch.enum) && sch.enum.length > 0) return sch.enum[i % sch.enum.length];
    const t = pickType(sch);
    if (t === 'string' && !('const' in sch)) {
      const base = genString(sch, hint);
      return i === 0 ? base : genString({ ...sch, pattern: undefined }, `${hint ?? 'item'} ${i + 1}`);
    }
    if ((t === 'integer' || t === 'number') && !('const' in sch)) {
      const step = typeof sch.multipleOf === 'number' ? sch.multipleOf : 1;
      return (genNumber(sch, t === 'integer') as number) + i * step;
    }
    if (t === 'boolean') return i % 2 === 0;
  }
  return gen(sch ?? {}, root, hint, depth + 1);
}

function text(hint: string | undefined): string {
  return hint ? `example ${hint.replace(/[_-]+/g, ' ')}` : 'example';
}

function genString(s: Schema, hint: string | undefined): string {
  let value = typeof s.format === 'string' && FORMATS[s.format] !== undefined ? FORMATS[s.format] : text(hint);
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  const fits = (v: string) => {
    const len = [...v].length;
    return len >= min && len <= max;
  };
  const adjust = (v: string) => {
    let out = v;
    while ([...out].length < min) out += 'x';
    if ([...out].length > max) out = [...out].slice(0, max).join('');
    return out;
  };
  if (typeof s.pattern === 'string') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      re = undefined;
    }
    if (re) {
      const candidates = [value, adjust(value), ...PATTERN_CANDIDATES, ...PATTERN_CANDIDATES.map(adjust)];
      const hit = candidates.find((c) => re!.test(c) && fits(c));
      if (hit !== undefined) return hit;
    }
  }
  value = adjust(value);
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
