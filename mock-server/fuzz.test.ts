// Fuzz: over HTTP, >= 1000 generated malformed requests (seeded, reproducible): bad JSON, wrong types,
// missing fields, huge values, wrong methods and paths, bad headers, and malformed HTTP. Every answer
// must be a 4xx with the OpenAI error envelope (application/json), and the server must stay up.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { validate } from '../lib/validate.ts';
import { startMockServer, type RunningMockServer } from './standalone.ts';
import { rawRequest } from '../test-support/mock.ts';

const KEY = 'sk-fuzz-0123456789abcdef';
const SEED = 20240607;
const RUNS = 1100;
const LIMIT = 64 * 1024;

const valid = () => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] as unknown[] });

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Values that the contract refuses for each field. */
const INVALID: Record<string, unknown[]> = {
  model: [1, null, '', [], {}, true],
  messages: ['hi', [], null, 5, [{}], [null], [{ role: 'user' }], [{ role: 'user', content: 5 }], [{ role: 'wizard', content: 'x' }], [{ content: 'x' }], [{ role: 'tool', content: 'x' }], [{ role: 'user', content: [] }], [{ role: 'user', content: [{ type: 'image_url' }] }]],
  n: [0, -1, 1.5, 'two', 129, 1e9, []],
  max_tokens: [0, -5, 'ten', 1.5, 1e300],
  max_completion_tokens: [0, -1, '5'],
  temperature: [-1, 3, 'hot', 1e308, {}],
  top_p: [2, -0.1, '1'],
  stream: ['yes', 1, {}],
  stop: [5, [1], [], ['a', 'b', 'c', 'd', 'e'], {}, [null]],
  tools: [[], 'x', [{ type: 'function' }], [{ type: 'function', function: {} }], [{ type: 'function', function: { name: 'bad name!' } }], [{ type: 'function', function: { name: 'f', parameters: 'x' } }]],
  tool_choice: ['sometimes', 5, { type: 'function' }, { type: 'function', function: { name: '' } }],
  response_format: [{ type: 'xml' }, 'json', { type: 'json_schema' }, { type: 'json_schema', json_schema: { name: 'bad name!' } }],
  logprobs: ['yes', 2],
  top_logprobs: [21, -1, 'x'],
  seed: [1.5, 'x', {}],
  stream_options: ['x', [], 7],
  presence_penalty: [5, -3, 'x'],
  frequency_penalty: [9],
  user: [5, {}, null],
  parallel_tool_calls: ['no', 0],
  reasoning_effort: ['extreme', 3],
};

/** Requests the contract accepts but the semantics refuse. */
const SEMANTIC: Record<string, unknown>[] = [
  { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } },
  { tool_choice: 'required' },
  { stream_options: { include_usage: true } },
  { top_logprobs: 3 },
  { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'nope' } } } },
  { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { properties: { a: { $ref: '#/$defs/missing' } } } } } },
  { model: 'gpt-does-not-exist' },
];

type Case = { method: string; path: string; headers: Record<string, string>; body?: string; expect?: number; label: string };

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const chatCase = (body: string, label: string, headers: Record<string, string> = auth, expect?: number): Case => ({
  method: 'POST',
  path: '/v1/chat/completions',
  headers,
  body,
  label,
  ...(expect ? { expect } : {}),
});

const token = fc.stringMatching(/^[A-Za-z0-9._~-]{0,40}$/);

const arbitraries: fc.Arbitrary<Case>[] = [
  // not JSON, or JSON that is not a request object
  fc.string({ maxLength: 200 }).map((s) => chatCase(s, 'random text')),
  fc.nat({ max: 80 }).map((k) => chatCase(JSON.stringify({ ...valid(), max_tokens: 10 }).slice(0, k), 'truncated JSON')),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => !(v && typeof v === 'object' && !Array.isArray(v) && 'messages' in v)).map((v) => chatCase(JSON.stringify(v) ?? 'null', 'JSON that is not a request')),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => chatCase(Buffer.concat([Buffer.from('{"model":"'), Buffer.from(bytes), Buffer.from([0xff]), Buffer.from('"}')]).toString('latin1'), 'bytes')),
  // wrong types and values, field by field
  fc.constantFrom(...Object.keys(INVALID)).chain((field) =>
    fc.constantFrom(...INVALID[field]).map((value) => chatCase(JSON.stringify({ ...valid(), [field]: value }), `${field}=${JSON.stringify(value)}`)),
  ),
  // missing fields
  fc.constantFrom('model', 'messages').map((field) => {
    const body: Record<string, unknown> = valid();
    delete body[field];
    return chatCase(JSON.stringify(body), `no ${field}`);
  }),
  // semantics
  fc.constantFrom(...SEMANTIC).map((extra) => chatCase(JSON.stringify({ ...valid(), ...extra }), `semantic ${JSON.stringify(extra)}`)),
  // huge
  fc.integer({ min: LIMIT + 1, max: LIMIT * 3 }).map((size) => chatCase(JSON.stringify({ ...valid(), messages: [{ role: 'user', content: 'x'.repeat(size) }] }), 'huge body', auth, 413)),
  fc.integer({ min: 50, max: 3000 }).map((depth) => chatCase(`{"model":"mock-gpt","messages":[{"role":"user","content":"x"}],"stop":${deep(depth)}}`, `nesting ${depth}`)),
  fc.constantFrom(1e9, 2 ** 53, -(2 ** 31), Number.MAX_VALUE).map((n) => chatCase(JSON.stringify({ ...valid(), n, max_tokens: n }), `huge n ${n}`)),
  // wrong methods and paths
  fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH').map((method) => ({ method, path: '/v1/chat/completions', headers: auth, label: `${method} chat`, expect: 405 })),
  fc.constantFrom('POST', 'PUT', 'DELETE').map((method) => ({ method, path: '/v1/models', headers: auth, label: `${method} models`, expect: 405 })),
  fc
    .array(fc.stringMatching(/^[A-Za-z0-9_.~-]{1,12}$/), { minLength: 1, maxLength: 4 })
    .map((segments) => `/${segments.join('/')}`)
    .filter((p) => !/^(\/v1)?\/(chat\/completions|models(\/.+)?|health)\/?$/.test(p) && !p.startsWith('/__mock') && !p.startsWith('/openai/'))
    .map((path) => ({ method: 'POST', path, headers: auth, body: JSON.stringify(valid()), label: `path ${path}`, expect: 404 })),
  // bad headers
  token.map((t) => chatCase(JSON.stringify(valid()), `authorization ${t}`, { 'content-type': 'application/json', authorization: `Bearer ${t}` }, 401)),
  token.map((t) => chatCase(JSON.stringify(valid()), `api-key ${t}`, { 'content-type': 'application/json', 'api-key': t }, 401)),
  fc.constant(chatCase(JSON.stringify(valid()), 'no auth', { 'content-type': 'application/json' }, 401)),
  token.filter((t) => t.length > 0).map((t) => chatCase(JSON.stringify(valid()), `x-mock-fault ${t}`, { ...auth, 'x-mock-fault': `zz-${t}` }, 400)),
  fc.constantFrom('drop-after:x', 'status:99', 'status:600', 'slow-first-byte:-1', 'never-end:0', 'no-done:3').map((f) => chatCase(JSON.stringify(valid()), `x-mock-fault ${f}`, { ...auth, 'x-mock-fault': f }, 400)),
  token.filter((t) => t.length > 0).map((t) => chatCase(JSON.stringify(valid()), `x-mock-scenario ${t}`, { ...auth, 'x-mock-scenario': `zz-${t}` }, 404)),
  fc.constantFrom('-1', 'soon', '1e9', 'NaN', '').map((v) => chatCase(JSON.stringify(valid()), `x-mock-ttft-ms ${v}`, { ...auth, 'x-mock-ttft-ms': v || ' ' }, 400)),
  fc.constantFrom('/v1/models/nope', '/models/%00', '/v1/models/gpt-4o').map((path) => ({ method: 'GET', path, headers: auth, label: path, expect: 404 })),
  fc.constant({ method: 'POST', path: '/openai/deployments/x/chat/completions', headers: { 'api-key': KEY }, body: JSON.stringify(valid()), label: 'azure without api-version', expect: 400 }),
];

let server: RunningMockServer;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

before(async () => {
  // strict about model names: unknown model ids are among the requests that must be refused
  server = await startMockServer({ fixtures: [], speed: 0, quiet: true, requireKey: KEY, bodyLimitBytes: LIMIT, models: [] });
});
after(async () => {
  agent.destroy();
  await server.close();
});

function checkEnvelope(status: number, contentType: string | undefined, body: Buffer, label: string, expect?: number) {
  assert.ok(status >= 400 && status < 500, `${label}: status ${status} ${body.toString().slice(0, 200)}`);
  if (expect) assert.equal(status, expect, `${label}: ${body.toString().slice(0, 200)}`);
  assert.match(contentType ?? '', /^application\/json/, label);
  const json = JSON.parse(body.toString());
  assert.ok(validate('error', json).ok, `${label}: ${body.toString().slice(0, 200)}`);
  assert.ok('param' in json.error && 'code' in json.error, label);
}

describe('fuzz', () => {
  it(`${RUNS} malformed requests over HTTP: every answer a 4xx envelope`, async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(...arbitraries), async (c) => {
        count++;
        const r = await rawRequest(`${server.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body, agent, timeoutMs: 5000 });
        assert.equal(r.error, undefined, `${c.label}: ${r.error}`);
        checkEnvelope(r.status, r.headers['content-type'] as string, r.body, c.label, c.expect);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    assert.ok(count >= 1000);
    const health = await rawRequest(`${server.url}/health`, { agent });
    assert.equal(health.status, 200);
  });

  it('malformed HTTP gets a 400 envelope too', async () => {
    const raw = [
      'GARBAGE\r\n\r\n',
      'GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      'GET /v1/models HTTP/9.9\r\nHost: x\r\n\r\n',
      `GET /${'a'.repeat(100)} HTTP/1.1\r\nHost: x\r\nX: ${'b'.repeat(20000)}\r\n${'Y: z\r\n'.repeat(5000)}\r\n`,
    ];
    for (const text of raw) {
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
        let data = '';
        socket.on('data', (d) => (data += d.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', () => resolve(data));
        socket.setTimeout(3000, () => socket.destroy());
      });
      const [head, body] = reply.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      const type = /content-type: ([^\r\n]+)/i.exec(head)?.[1];
      checkEnvelope(status, type, Buffer.from(body ?? '', 'latin1'), JSON.stringify(text.slice(0, 60)));
    }
    assert.equal((await rawRequest(`${server.url}/health`)).status, 200);
  });
});
