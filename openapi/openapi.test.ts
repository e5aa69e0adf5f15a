// openapi/openapi.yaml: every $ref resolves (into the document or to a schema file), each schema file
// is listed once in components, the required operations and responses are there, its examples are
// valid against the schemas (with lib/validate.ts), and `redocly lint` passes with no warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { formatIssues, validate } from '../lib/validate.ts';
import { SCHEMA_NAMES, schemaDir, type SchemaName } from '../lib/schemas.ts';

const openapiDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(openapiDir, '..');
const specFile = path.join(openapiDir, 'openapi.yaml');
type Node = Record<string, any>;
const spec = parse(readFileSync(specFile, 'utf8')) as Node;

/** Component name → schema file name, as the contract lists them. */
const COMPONENT_OF: Record<SchemaName, string> = {
  'chat-completion-request': 'ChatCompletionRequest',
  message: 'Message',
  'content-part': 'ContentPart',
  tool: 'Tool',
  'tool-choice': 'ToolChoice',
  'tool-call': 'ToolCall',
  'tool-call-delta': 'ToolCallDelta',
  'chat-completion': 'ChatCompletion',
  'chat-completion-chunk': 'ChatCompletionChunk',
  usage: 'Usage',
  logprobs: 'Logprobs',
  error: 'ErrorEnvelope',
  model: 'Model',
  'model-list': 'ModelList',
};

function pointerGet(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  let cur: any = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Every { $ref } in a document with the JSON pointer where it sits. */
function refsOf(doc: unknown): { at: string; ref: string }[] {
  const out: { at: string; ref: string }[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ at, ref: v });
      else if (k !== 'example' && k !== 'examples' && k !== 'const' && k !== 'enum') walk(v, `${at}/${k}`);
    }
  };
  walk(doc, '');
  return out;
}

const jsonCache = new Map<string, unknown>();
function loadJson(file: string): unknown {
  if (!jsonCache.has(file)) jsonCache.set(file, JSON.parse(readFileSync(file, 'utf8')));
  return jsonCache.get(file);
}

/** Resolves a $ref found in `fromFile` (whose parsed content is `fromDoc`); returns the target or a reason. */
function resolveRef(fromFile: string, fromDoc: unknown, ref: string): { ok: true; file: string; node: unknown } | { ok: false; why: string } {
  const [filePart, fragment = ''] = ref.split('#');
  let file = fromFile;
  let doc = fromDoc;
  if (filePart !== '') {
    if (/^[a-z]+:/i.test(filePart)) return { ok: false, why: 'absolute URL (must be a relative file name)' };
    file = path.resolve(path.dirname(fromFile), filePart);
    if (!existsSync(file)) return { ok: false, why: `no file ${path.relative(root, file)}` };
    doc = file.endsWith('.json') ? loadJson(file) : parse(readFileSync(file, 'utf8'));
  }
  const node = pointerGet(doc, fragment);
  if (node === undefined) return { ok: false, why: `no ${fragment} in ${path.relative(root, file)}` };
  return { ok: true, file, node };
}

test('every $ref of openapi.yaml resolves', () => {
  const broken: string[] = [];
  for (const { at, ref } of refsOf(spec)) {
    const r = resolveRef(specFile, spec, ref);
    if (!r.ok) broken.push(`${at}: ${ref}: ${r.why}`);
  }
  assert.deepEqual(broken, []);
});

test('every $ref inside the schema files resolves to a schema file (relative name) or into the same file', () => {
  const broken: string[] = [];
  for (const name of SCHEMA_NAMES) {
    const file = path.join(schemaDir, `${name}.schema.json`);
    for (const { at, ref } of refsOf(loadJson(file))) {
      if (!/^([a-z0-9-]+\.schema\.json)?(#.*)?$/.test(ref)) broken.push(`${name}${at}: ${ref}: not a sibling file name`);
      const r = resolveRef(file, loadJson(file), ref);
      if (!r.ok) broken.push(`${name}${at}: ${ref}: ${r.why}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('components/schemas lists each schema file exactly once, as a bare $ref', () => {
  const schemas = spec.components.schemas as Record<string, Node>;
  const fileRefs = Object.entries(schemas).filter(([, s]) => typeof s.$ref === 'string');
  for (const [component, s] of fileRefs) {
    assert.deepEqual(Object.keys(s), ['$ref'], `${component} must be only a $ref`);
  }
  const listed = fileRefs.map(([component, s]) => [component, s.$ref as string]);
  const expected = SCHEMA_NAMES.map((n) => [COMPONENT_OF[n], `../schemas/${n}.schema.json`]);
  assert.deepEqual(listed.sort(), expected.sort());
});

test('every response schema of the document is a component reference (nothing defined twice)', () => {
  for (const [p, item] of Object.entries(spec.paths as Record<string, Node>)) {
    for (const [method, op] of Object.entries(item)) {
      for (const [status, res] of Object.entries((op as Node).responses as Record<string, Node>)) {
        if (res.$ref) continue;
        for (const [mediaType, media] of Object.entries((res.content ?? {}) as Record<string, Node>)) {
          if (mediaType === 'text/event-stream') continue;
          assert.match(String(media.schema?.$ref), /^#\/components\/schemas\//, `${method} ${p} ${status} ${mediaType}`);
        }
      }
    }
  }
});

test('the operations, responses, parameters and security the contract promises are there', () => {
  const chat = spec.paths['/chat/completions'].post as Node;
  assert.equal(chat.operationId, 'createChatCompletion');
  assert.equal(chat.requestBody.content['application/json'].schema.$ref, '#/components/schemas/ChatCompletionRequest');
  assert.equal(chat.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/ChatCompletion');
  assert.ok(chat.responses['200'].content['text/event-stream'], 'text/event-stream 200');
  for (const status of ['400', '401', '403', '404', '413', '422', '429', '500', '503']) {
    const res = chat.responses[status] as Node;
    assert.ok(res, `POST /chat/completions ${status}`);
    const target = resolveRef(specFile, spec, res.$ref);
    assert.ok(target.ok, `${status}: ${res.$ref}`);
    assert.equal((target.node as Node).content['application/json'].schema.$ref, '#/components/schemas/ErrorEnvelope', `${status} uses the error envelope`);
  }
  assert.ok(spec.components.responses.RateLimited.headers['retry-after'], '429 has retry-after');
  assert.equal(spec.paths['/models'].get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/ModelList');
  assert.equal(spec.paths['/models/{model}'].get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/Model');
  assert.deepEqual(spec.paths['/health'].get.security, []);
  assert.equal(spec.servers[0].variables.baseUrl.default, 'http://127.0.0.1:4010/v1');
  assert.deepEqual(spec.components.securitySchemes.bearer, { ...spec.components.securitySchemes.bearer, type: 'http', scheme: 'bearer' });
  assert.deepEqual(spec.components.securitySchemes.azureApiKey, { ...spec.components.securitySchemes.azureApiKey, type: 'apiKey', in: 'header', name: 'api-key' });
  assert.equal(spec.components.parameters.ApiVersion.name, 'api-version');
  assert.equal(spec.components.parameters.ApiVersion.in, 'query');
});

test('the examples of openapi.yaml are valid against their schemas', () => {
  const schemaOfComponent = new Map(SCHEMA_NAMES.map((n) => [`#/components/schemas/${COMPONENT_OF[n]}`, n]));
  let checked = 0;
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
    if (node === null || typeof node !== 'object') return;
    const media = node as Node;
    const name = typeof media.schema?.$ref === 'string' ? schemaOfComponent.get(media.schema.$ref) : undefined;
    if (name) {
      const values = [
        ...('example' in media ? [media.example] : []),
        ...Object.values((media.examples ?? {}) as Record<string, Node>).map((e) => e.value),
      ];
      for (const value of values) {
        const r = validate(name, value);
        assert.ok(r.ok, `${at}: example is not a valid ${name}:\n${r.ok ? '' : formatIssues(r.errors)}`);
        checked++;
      }
    }
    for (const [k, v] of Object.entries(media)) if (k !== 'example' && k !== 'examples') walk(v, `${at}/${k}`);
  };
  walk(spec.paths, '#/paths');
  walk(spec.components.responses, '#/components/responses');
  assert.ok(checked >= 5, `only ${checked} examples checked`);
});

test('redocly lint: no error, no warning (offline)', () => {
  const cli = path.join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'lint', 'openapi/openapi.yaml', '--format=json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  assert.equal(r.error, undefined, String(r.error));
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  const report = JSON.parse(json) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
  const problems = report.problems.map((p) => `${p.ruleId}: ${p.message}`).join('\n');
  assert.equal(report.totals.errors, 0, problems);
  assert.equal(report.totals.warnings, 0, problems);
  assert.equal(r.status, 0, r.stderr);
});
