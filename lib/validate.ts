// The one validator of the contract: a single Ajv (JSON Schema 2020-12) instance holding every schema
// of schemas/, compiled once at module load. Errors come back as readable issues with JSON-pointer
// paths; oneOf/anyOf noise is reduced to the branch a person meant (see explainBranches).
// The schemas are data (lib/schemas.ts), so it reads no files and runs wherever the mock's engine runs.
import Ajv2020Module from 'ajv/dist/2020.js';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { SchemaTypes } from '../openapi/types.ts';
import { isObject } from './json.ts';
import { FIXTURE_SCHEMA_ID, PROFILE_SCHEMA_ID, SCHEMA_NAMES, contractSchemas, fixtureSchema, profileSchema, schemaIds, type SchemaName } from './schemas.ts';

// This module is the package's entry (`import { validate, SCHEMA_NAMES } from 'oai-compat'`): what a
// library user needs about the schemas comes with it.
export { SCHEMA_NAMES, schemaIds, loadSchemas, type SchemaName } from './schemas.ts';

export interface ValidationIssue {
  /** JSON pointer into the data, e.g. /choices/0/index; '' for the root */
  path: string;
  /** readable reason, e.g. "must be integer" or "must be one of: stop, length" */
  message: string;
  /** the JSON Schema keyword that failed (required, type, enum, const, minimum, pattern, ...) */
  keyword: string;
}

export type ValidationResult = { ok: true } | { ok: false; errors: ValidationIssue[] };

// ajv and ajv-formats are CommonJS; under NodeNext their default import is module.exports.
type AjvClass = typeof Ajv2020Module.default;
type Ajv = InstanceType<AjvClass>;
const Ajv2020: AjvClass =
  (Ajv2020Module as unknown as { default?: AjvClass }).default ?? (Ajv2020Module as unknown as AjvClass);
const addFormats: typeof addFormatsModule.default =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule.default }).default ??
  (addFormatsModule as unknown as typeof addFormatsModule.default);

// ---------------------------------------------------------------------------------------------
// Module state: one Ajv, every schema added once, every top-level validator compiled once.

const schemas = contractSchemas();

/** Where each schema node holding oneOf/anyOf lives: `$id` of its file and JSON pointer. */
const combinatorNodes = new WeakMap<object, { id: string; pointer: string }>();

function indexCombinators(node: unknown, id: string, pointer: string): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => indexCombinators(child, id, `${pointer}/${i}`));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (Array.isArray(obj.oneOf) || Array.isArray(obj.anyOf)) combinatorNodes.set(obj, { id, pointer });
  for (const [key, child] of Object.entries(obj)) {
    if (key === 'const' || key === 'enum' || key === 'examples' || key === 'default') continue;
    indexCombinators(child, id, `${pointer}/${escapePointer(key)}`);
  }
}

// strict: a typo in a schema (unknown keyword, union type, ...) fails at load instead of being ignored.
const ajv: Ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
addFormats(ajv);
for (const name of SCHEMA_NAMES) {
  indexCombinators(schemas[name], schemaIds[name], '');
  ajv.addSchema(schemas[name]);
}

// Compiled on first use: a process that never validates (Playwright collecting tests, a restarted
// worker) does not pay for it. The schema tests compile every one, so a broken schema still fails fast.
const validators = new Map<SchemaName, ValidateFunction>();
function validatorFor(name: SchemaName): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!SCHEMA_NAMES.includes(name)) throw new Error(`unknown schema ${String(name)}; known: ${SCHEMA_NAMES.join(', ')}`);
    v = ajv.getSchema(schemaIds[name]);
    if (!v) throw new Error(`schema ${name} did not compile`);
    validators.set(name, v);
  }
  return v;
}

/** Validators of single oneOf/anyOf branches, compiled on first need (only when explaining errors). */
const branchValidators = new Map<string, ValidateFunction>();

function branchValidator(id: string, pointer: string, keyword: string, index: number): ValidateFunction | undefined {
  const ref = `${id}#${pointer}/${keyword}/${index}`;
  let v = branchValidators.get(ref);
  if (!v) {
    v = ajv.getSchema(ref);
    if (!v) return undefined;
    branchValidators.set(ref, v);
  }
  return v;
}

/** The shared Ajv instance (every contract schema registered under its `$id`). Do not add schemas with clashing ids. */
export function getAjv(): Ajv {
  return ajv;
}

// The capability profile's schema is published beside the contract's but is not part of it: it
// configures the suite. It lives in the same Ajv instance and is compiled on first use.
ajv.addSchema(profileSchema as AnySchemaObject);

/** One problem of a profile document: where (JSON pointer), which keyword, and Ajv's parameters. */
export interface ProfileIssue {
  path: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

/** Validate a parsed profile document against schemas/profile.schema.json. */
export function validateProfileDocument(doc: unknown): ProfileIssue[] {
  const v = ajv.getSchema(PROFILE_SCHEMA_ID);
  if (!v) throw new Error('schemas/profile.schema.json did not compile');
  if (v(doc)) return [];
  return (v.errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params as Record<string, unknown>, message: e.message ?? e.keyword }));
}

// The mock's fixture format is published the same way (schemas/fixture.schema.json), so that fixtures
// can be written and checked from any language; lib/fixtures.ts adds what a schema cannot see (the id
// equals the file name, ids are unique).
ajv.addSchema(fixtureSchema as AnySchemaObject);

/** The problems of a parsed fixture document, in Ajv's order ([] when it is valid); paths point at the field. */
export function validateFixtureDocument(doc: unknown): ValidationIssue[] {
  const v = ajv.getSchema(FIXTURE_SCHEMA_ID);
  if (!v) throw new Error('schemas/fixture.schema.json did not compile');
  if (v(doc)) return [];
  const errors = v.errors ?? [];
  // a failed oneOf says what its branches needed: their own errors add nothing
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  return errors
    .filter((e) => !oneOfs.some((at) => e.schemaPath.startsWith(at)) && e.propertyName === undefined)
    .map(documentIssue);
}

/** An Ajv error in a document a person writes, as an issue at the field it is about. */
function documentIssue(e: ErrorObject): ValidationIssue {
  const p = e.params as Record<string, unknown>;
  const at = (name: unknown) => `${e.instancePath}/${escapePointer(String(name))}`;
  const issue = (path: string, message: string): ValidationIssue => ({ path, message, keyword: e.keyword });
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      const expected = e.keyword === 'additionalProperties' && known.length > 0 ? ` (expected one of ${known.join(', ')})` : '';
      return issue(at(p.additionalProperty ?? p.unevaluatedProperty), `is not a known field${expected}`);
    }
    case 'propertyNames':
      return issue(at(p.propertyName), `must be ${(e.schema as AnySchemaObject).title ?? 'a valid name'}`);
    case 'pattern':
      return issue(e.instancePath, typeof e.parentSchema?.title === 'string' ? `must be ${e.parentSchema.title}` : (e.message ?? 'must match a pattern'));
    case 'oneOf': {
      // every branch of the fixture format's oneOf requires one field: body, raw or writes; data or base64
      const fields = (e.schema as AnySchemaObject[]).map((branch) => String(branch.required?.[0]));
      const present = fields.filter((f) => isObject(e.data) && f in e.data);
      return issue(
        e.instancePath,
        present.length === 0 ? `needs one of ${fields.join(', ')}` : `has ${present.join(' and ')}: exactly one of ${fields.join(', ')} is allowed`,
      );
    }
    default: {
      const { path, message, keyword } = convert(e);
      return { path, message, keyword };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

export function validate(name: SchemaName, data: unknown): ValidationResult {
  const v = validatorFor(name);
  if (v(data)) return { ok: true };
  return { ok: false, errors: explain(v.errors ?? []).map(({ path, message, keyword }) => ({ path, message, keyword })) };
}

// ---------------------------------------------------------------------------------------------
// Schemas that arrive in requests (tool parameters, response_format): a second, lenient Ajv
// (unknown keywords and formats are the sender's business), created on first need.

let requestAjv: Ajv | undefined;
const requestValidators = new Map<string, ValidateFunction>();

function lenientAjv(): Ajv {
  return (requestAjv ??= new Ajv2020({ allErrors: true, strict: false, validateFormats: false }));
}

/** null when `schema` is a valid JSON Schema (2020-12 meta-schema); else where and why it is not. */
export function requestSchemaProblem(schema: object): string | null {
  const ajv = lenientAjv();
  let ok: boolean;
  try {
    ok = ajv.validateSchema(schema) as boolean;
  } catch (error) {
    return (error as Error).message;
  }
  if (ok) return null;
  const first = ajv.errors?.[0];
  return `${first?.instancePath ? `at ${first.instancePath}` : 'at the root'}: ${first?.message ?? 'is not a valid JSON Schema'}`;
}

/** Validate data against a schema taken from a request (compiled once per distinct schema). */
export function validateWithRequestSchema(schema: object, data: unknown): ValidationResult | { ok: false; compileError: string } {
  const key = JSON.stringify(schema);
  let v = requestValidators.get(key);
  if (!v) {
    try {
      v = lenientAjv().compile(schema);
    } catch (error) {
      return { ok: false, compileError: (error as Error).message };
    }
    requestValidators.set(key, v);
  }
  if (v(data)) return { ok: true };
  return { ok: false, errors: explain(v.errors ?? []).map(({ path, message, keyword }) => ({ path, message, keyword })) };
}

/** Type guard: data is valid against the schema (the type is the one generated from the contract). */
export function isValid<N extends SchemaName>(name: N, data: unknown): data is SchemaTypes[N] {
  return validate(name, data).ok;
}

/** Throws an Error listing every issue when data is not valid. */
export function assertValid<N extends SchemaName>(name: N, data: unknown, label: string = name): asserts data is SchemaTypes[N] {
  const r = validate(name, data);
  if (!r.ok) throw new Error(`${label} does not match ${name}.schema.json:\n${formatIssues(r.errors)}`);
}

/** One `path: message` line per issue (the root is shown as `(root)`). */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path === '' ? '(root)' : i.path}: ${i.message}`).join('\n');
}

/**
 * A JSON pointer as OpenAI writes an error's `param`: `/messages/0/role` → `messages[0].role`,
 * `/tools/1/function/name` → `tools[1].function.name`. The root ('') gives ''.
 */
export function issueToParam(path: string): string {
  if (path === '') return '';
  let out = '';
  for (const raw of path.replace(/^\//, '').split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9]\d*)$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Turning Ajv errors into issues

interface Issue extends ValidationIssue {
  /** the Ajv error it came from (used to drop the branch errors of a oneOf/anyOf) */
  raw?: ErrorObject;
  /** allowed values of a const/enum issue */
  values?: unknown[];
  /** types of a type issue */
  types?: string[];
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function showValue(v: unknown): string {
  if (typeof v === 'string' && v !== '' && !/[\s,"]/.test(v)) return v;
  return JSON.stringify(v);
}

function valuesMessage(values: readonly unknown[]): string {
  return values.length === 1 ? `must be ${JSON.stringify(values[0])}` : `must be one of: ${values.map(showValue).join(', ')}`;
}

function convert(e: ErrorObject): Issue {
  const base = { raw: e, path: e.instancePath, keyword: e.keyword };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired':
      return { ...base, path: `${e.instancePath}/${escapePointer(String(p.missingProperty))}`, message: 'is required' };
    case 'type': {
      const types = Array.isArray(p.type) ? (p.type as string[]) : String(p.type).split(',');
      return { ...base, message: `must be ${orList(types)}`, types };
    }
    case 'enum': {
      const values = (p.allowedValues as unknown[]) ?? [];
      return { ...base, message: valuesMessage(values), values };
    }
    case 'const':
      return { ...base, message: valuesMessage([p.allowedValue]), values: [p.allowedValue] };
    case 'additionalProperties':
      return { ...base, message: `must not have the property ${JSON.stringify(p.additionalProperty)}` };
    default:
      return { ...base, message: e.message ?? `must pass "${e.keyword}"` };
  }
}

/** Ajv errors (in Ajv's order) → issues, with oneOf/anyOf branches explained and duplicates removed. */
function explain(errors: readonly ErrorObject[]): Issue[] {
  const out: Issue[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue; // its "then"/"else" errors are already there
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      // The branch errors come right before the combinator's own error: drop them, then explain.
      while (out.length > 0) {
        const last = out[out.length - 1].raw;
        if (!last || !within(last.instancePath, e.instancePath) || last.parentSchema === e.parentSchema) break;
        out.pop();
      }
      out.push(...explainBranches(e));
      continue;
    }
    out.push(convert(e));
  }
  return tidy(out);
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function tidy(issues: Issue[]): Issue[] {
  const valued = new Set(issues.filter((i) => i.values).map((i) => i.path));
  const seen = new Set<string>();
  // A wrong tag (`type: "custom"` where "function" is the only const) explains the missing siblings
  // that Ajv reports first: move such const issues before the `required` issues of the same object.
  const ordered = [...issues];
  for (let i = 0; i < ordered.length; i++) {
    const x = ordered[i];
    if (x.keyword !== 'const') continue;
    const parent = parentOf(x.path);
    const j = ordered.findIndex((y, k) => k < i && y.keyword === 'required' && parentOf(y.path) === parent);
    if (j >= 0) ordered.splice(j, 0, ...ordered.splice(i, 1));
  }
  return ordered.filter((i) => {
    // "must be string or null" adds nothing to "must be one of: stop, length, ..., null"
    if (i.keyword === 'type' && valued.has(i.path)) return false;
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Branch {
  issues: Issue[];
  /** the value is not of this branch's kind at all (type/const/enum of the value itself) */
  rootMismatch: boolean;
  /** a tag property (e.g. role, type) has another const */
  tag?: Issue;
}

/**
 * Why a oneOf/anyOf failed, as a person would put it:
 * - some branch accepts the value's kind and tag (e.g. role "user") → that branch's own issues
 *   (the one with fewest issues if several);
 * - otherwise, branches that failed only because of a tag const (role, type) → one issue at the tag:
 *   "must be one of: system, developer, user, assistant, tool";
 * - otherwise every branch rejected the value's kind → "must be string, array or null".
 */
function explainBranches(e: ErrorObject): Issue[] {
  const at = e.instancePath;
  const fallback: Issue[] = [{ raw: e, path: at, keyword: e.keyword, message: e.message ?? `must match ${e.keyword}` }];
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'oneOf' && Array.isArray(p.passingSchemas)) {
    return [{ ...fallback[0], message: `must match exactly one allowed form (matches forms ${(p.passingSchemas as number[]).join(' and ')})` }];
  }
  const loc = e.parentSchema ? combinatorNodes.get(e.parentSchema) : undefined;
  const count = Array.isArray(e.schema) ? e.schema.length : 0;
  if (!loc || count === 0) return fallback;

  const branches: Branch[] = [];
  for (let i = 0; i < count; i++) {
    const v = branchValidator(loc.id, loc.pointer, e.keyword, i);
    if (!v) return fallback;
    if (v(e.data)) return fallback; // cannot happen for a failed oneOf/anyOf; be safe
    const issues = explain([...(v.errors ?? [])]);
    branches.push({
      issues,
      rootMismatch: issues.some((x) => x.path === '' && (x.keyword === 'type' || x.keyword === 'const' || x.keyword === 'enum')),
      tag: issues.find((x) => x.keyword === 'const' && /^\/[^/]+$/.test(x.path)),
    });
  }
  const rebase = (x: Issue): Issue => ({ ...x, raw: e, path: `${at}${x.path}` });

  const candidates = branches.filter((b) => !b.rootMismatch && !b.tag);
  if (candidates.length > 0) {
    const best = candidates.reduce((a, b) => (b.issues.length < a.issues.length ? b : a));
    return best.issues.map(rebase);
  }

  const tagged = branches.filter((b) => !b.rootMismatch && b.tag);
  if (tagged.length > 0) {
    const tagPath = tagged[0].tag!.path;
    const values: unknown[] = [];
    for (const b of tagged) {
      if (b.tag!.path !== tagPath) continue;
      for (const v of b.tag!.values ?? []) if (!values.includes(v)) values.push(v);
    }
    return [{ raw: e, path: `${at}${tagPath}`, keyword: values.length === 1 ? 'const' : 'enum', message: valuesMessage(values), values }];
  }

  const types: string[] = [];
  const values: unknown[] = [];
  for (const b of branches) {
    for (const x of b.issues) {
      if (x.path !== '') continue;
      for (const t of x.types ?? []) if (!types.includes(t)) types.push(t);
      for (const v of x.values ?? []) if (!values.includes(v)) values.push(v);
    }
  }
  if (values.length === 0 && types.length > 0) {
    return [{ raw: e, path: at, keyword: 'type', message: `must be ${orList(types)}`, types }];
  }
  if (values.length > 0) {
    // a value branch (e.g. "none" | "auto" | "required") next to a kind branch (e.g. an object)
    const kinds = types.filter((t) => !values.some((v) => typeof v === t));
    const message = kinds.length === 0 ? valuesMessage(values) : `must be one of: ${values.map(showValue).join(', ')}, or ${orList(kinds)}`;
    return [{ raw: e, path: at, keyword: kinds.length === 0 ? 'enum' : e.keyword, message, values }];
  }
  return fallback;
}
