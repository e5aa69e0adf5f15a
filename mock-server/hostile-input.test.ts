// Nothing a client sends can stop the mock (issue 11): schemas that ask for a billion characters,
// properties or items, a pattern that backtracks exponentially, endless nesting, and request bodies
// nested 100,000 levels deep. Each is answered (a clear 400, or a value within the limits), and
// /health and the journal answer right after it. The mock runs in a child process: were it to freeze,
// the requests would time out and fail, instead of the test runner freezing with it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest, spawnMock, type MockProcess } from '../test-support/mock.ts';

let server: MockProcess;

before(async () => {
  server = await spawnMock(['--speed', '0', '--quiet']);
});
after(async () => {
  await server?.stop();
});

const SESSION = 'hostile';

async function post(body: unknown, session = SESSION) {
  const res = await rawRequest(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mock-session': session },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    timeoutMs: 20_000,
  });
  assert.equal(res.error, undefined, `the request itself failed: ${res.error}`);
  return { status: res.status, json: JSON.parse(res.body.toString('utf8')) };
}

async function assertHealthy(): Promise<void> {
  const res = await rawRequest(`${server.url}/health`, { timeoutMs: 5_000 });
  assert.equal(res.status, 200, `/health after the request: ${res.error ?? res.status}`);
}

/** JSON text too deep for JSON.stringify, spliced into a request body as it is */
class RawJson {
  constructor(readonly text: string) {}
}

/** The body as JSON text, a RawJson schema spliced in. */
function bodyWith(body: Record<string, unknown>, schema: unknown): string {
  if (!(schema instanceof RawJson)) return JSON.stringify(body).replace('"$SCHEMA"', JSON.stringify(schema));
  return JSON.stringify(body).replace('"$SCHEMA"', () => schema.text);
}

function structured(schema: unknown, stream = false): string {
  const body = {
    model: 'mock-gpt',
    messages: [{ role: 'user', content: 'Fill the schema.' }],
    response_format: { type: 'json_schema', json_schema: { name: 'hostile', schema: '$SCHEMA' } },
    ...(stream ? { stream: true } : {}),
  };
  return bodyWith(body, schema);
}

function withTool(parameters: unknown): string {
  const body = {
    model: 'mock-gpt',
    messages: [{ role: 'user', content: 'Call it.' }],
    tools: [{ type: 'function', function: { name: 'do_it', parameters: '$SCHEMA' } }],
    tool_choice: { type: 'function', function: { name: 'do_it' } },
  };
  return bodyWith(body, parameters);
}

function nestedItems(levels: number): RawJson {
  return new RawJson(`${'{"type":"array","items":'.repeat(levels)}{"type":"string"}${'}'.repeat(levels)}`);
}

function cube(levels: number, minItems: number): unknown {
  let schema: unknown = { type: 'string' };
  for (let i = 0; i < levels; i++) schema = { type: 'array', minItems, items: schema };
  return schema;
}

const OVERSIZED: [string, unknown, RegExp][] = [
  ['minLength 1,000,000,000', { type: 'object', properties: { s: { type: 'string', minLength: 1_000_000_000 } }, required: ['s'] }, /a string of at least 1000000000 characters/],
  ['minProperties 1e9', { type: 'object', minProperties: 1e9 }, /at least 1000000000 properties/],
  ['minItems 1e9', { type: 'object', properties: { a: { type: 'array', minItems: 1e9, items: { type: 'integer' } } }, required: ['a'] }, /at least 1000000000 items/],
  ['64 × 64 × 64 × 64 items', { type: 'object', properties: { a: cube(4, 64) }, required: ['a'] }, /more than \d+ (values|characters)/],
  ['a required property that refers to itself', { $ref: '#/$defs/n', $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } }, required: ['next'] } } }, /nests deeper than 64 levels/],
  ['a schema nested 10,000 levels', nestedItems(10_000), /nests deeper than 512 levels/],
  ['a pattern with a lookahead', { type: 'object', properties: { p: { type: 'string', pattern: '^(?=(x+x+)+y).{40}$' } }, required: ['p'] }, /lookahead/],
];

describe('pathological json_schema response formats', () => {
  for (const [name, schema, message] of OVERSIZED) {
    test(`${name}: a 400 that says why, and the server keeps serving`, async () => {
      for (const stream of [false, true]) {
        const { status, json } = await post(structured(schema, stream));
        assert.equal(status, 400, JSON.stringify(json));
        assert.equal(json.error.type, 'invalid_request_error');
        assert.match(json.error.param, /^response_format/);
        assert.match(json.error.message, message);
        await assertHealthy();
      }
    });
  }

  test('"^(x+x+)+y$" with minLength 40: a matching string, written without running the pattern', async () => {
    const schema = { type: 'object', properties: { p: { type: 'string', pattern: '^(x+x+)+y$', minLength: 40 } }, required: ['p'] };
    const { status, json } = await post(structured(schema));
    assert.equal(status, 200, JSON.stringify(json));
    const value = JSON.parse(json.choices[0].message.content);
    assert.match(value.p, /^x{39,}y$/);
    await assertHealthy();
  });
});

describe('pathological tool parameters', () => {
  for (const [name, schema, message] of OVERSIZED) {
    test(`${name}: a 400 naming the tool's parameters`, async () => {
      const { status, json } = await post(withTool(schema));
      assert.equal(status, 400, JSON.stringify(json));
      assert.equal(json.error.type, 'invalid_request_error');
      assert.match(json.error.param, /^tools\[0\]\.function\.parameters/);
      assert.match(json.error.message, message);
      await assertHealthy();
    });
  }
});

describe('request bodies nested deeply', () => {
  for (const levels of [2_000, 10_000, 100_000]) {
    test(`${levels} nested arrays: answered, and the journal still answers 200`, async () => {
      const session = `deep-${levels}`;
      const body = `{"model":"mock-gpt","messages":[{"role":"user","content":"hi"}],"metadata_extra":${'['.repeat(levels)}${']'.repeat(levels)}}`;
      const { status } = await post(body, session);
      assert.ok(status === 200 || status === 400, `status ${status}`);
      const broken = `{"model":"mock-gpt","messages":${'['.repeat(levels)}`;
      const refused = await post(broken, session);
      assert.equal(refused.status, 400);
      assert.match(refused.json.error.message, /could not parse the JSON body/);
      const journal = await rawRequest(`${server.url}/__mock/journal?session=${session}`, { timeoutMs: 10_000 });
      assert.equal(journal.status, 200, journal.body.toString('utf8').slice(0, 300));
      const entries = JSON.parse(journal.body.toString('utf8')).entries;
      assert.equal(entries.length, 2);
      await assertHealthy();
    });
  }
});
