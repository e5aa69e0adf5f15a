// The engine's pipeline: routing, auth, body limits, JSON, contract and semantic validation,
// models, scenario selection, fault selection, the journal and the admin endpoints. In-process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFixtures } from '../lib/fixtures.ts';
import { validate } from '../lib/validate.ts';
import { createEngine } from './engine.ts';
import { chat, mockRequest, planJson, planText } from '../test-support/mock.ts';
import type { ResponsePlan } from './types.ts';

const fixtures = loadFixtures();
const engine = createEngine({ fixtures, speed: 0 });
const strict = createEngine({ fixtures, speed: 0, models: ['qwen-plus', 'llama-3.1-8b'] });
const ok = { model: 'mock-gpt', messages: [{ role: 'user', content: 'Say hello in five words.' }] };

function assertEnvelope(plan: ResponsePlan, status: number, code?: string | null, param?: string | null): any {
  assert.equal(plan.status, status, planText(plan));
  assert.match(plan.headers['content-type'], /^application\/json/);
  const body = planJson(plan);
  const r = validate('error', body);
  assert.ok(r.ok, `not an error envelope: ${planText(plan)}`);
  assert.equal(typeof body.error.message, 'string');
  assert.ok('param' in body.error && 'code' in body.error, 'param and code present');
  if (code !== undefined) assert.equal(body.error.code, code);
  if (param !== undefined) assert.equal(body.error.param, param);
  assert.equal(plan.headers['content-length'], String(Buffer.byteLength(planText(plan))));
  return body.error;
}

describe('routing', () => {
  it('serves chat completions, models and health with and without /v1', () => {
    for (const path of ['/v1/chat/completions', '/chat/completions']) {
      assert.equal(engine.handleSync(mockRequest('POST', path, ok)).status, 200, path);
    }
    for (const path of ['/v1/models', '/models']) {
      const plan = engine.handleSync(mockRequest('GET', path));
      assert.equal(plan.status, 200);
      const list = planJson(plan);
      assert.ok(validate('model-list', list).ok);
      assert.deepEqual(
        list.data.map((m: any) => m.id),
        ['mock-gpt', 'mock-reasoner'],
      );
    }
    for (const path of ['/health', '/v1/health']) {
      assert.deepEqual(planJson(engine.handleSync(mockRequest('GET', path))), { status: 'ok' });
    }
  });

  it('retrieves one model; fixture ids are models too; an unlisted name → 404 model_not_found, in both modes', () => {
    const m = planJson(engine.handleSync(mockRequest('GET', '/v1/models/mock-reasoner')));
    assert.ok(validate('model', m).ok);
    assert.equal(m.id, 'mock-reasoner');
    assert.equal(engine.handleSync(mockRequest('GET', `/v1/models/${fixtures[0].id}`)).status, 200);
    // chat serves any name by default, but the catalogue holds only what is listed
    assertEnvelope(engine.handleSync(mockRequest('GET', '/v1/models/gpt-4o-mini')), 404, 'model_not_found');
    assert.equal(strict.handleSync(mockRequest('GET', `/v1/models/${fixtures[0].id}`)).status, 200);
    assert.equal(strict.handleSync(mockRequest('GET', '/v1/models/qwen-plus')).status, 200);
    assertEnvelope(strict.handleSync(mockRequest('GET', '/v1/models/gpt-nope')), 404, 'model_not_found');
  });

  it('unknown path → 404 envelope; wrong method → 405 envelope with allow', () => {
    assertEnvelope(engine.handleSync(mockRequest('POST', '/v1/completions', ok)), 404);
    assertEnvelope(engine.handleSync(mockRequest('GET', '/v2/chat/completions')), 404);
    const p = engine.handleSync(mockRequest('GET', '/v1/chat/completions'));
    assertEnvelope(p, 405, 'method_not_allowed');
    assert.equal(p.headers.allow, 'POST');
    const d = engine.handleSync(mockRequest('DELETE', '/v1/models'));
    assertEnvelope(d, 405);
    assert.equal(d.headers.allow, 'GET, HEAD');
  });

  it('answers CORS preflights and adds CORS headers for browsers', () => {
    const pre = engine.handleSync(mockRequest('OPTIONS', '/v1/chat/completions', undefined, { origin: 'http://localhost:3000' }));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.match(pre.headers['access-control-allow-headers'], /authorization/);
    const p = chat(engine, ok, { origin: 'http://localhost:3000' });
    assert.equal(p.headers['access-control-allow-origin'], 'http://localhost:3000');
  });
});

describe('auth', () => {
  const key = 'sk-test-0123456789abcdef';
  const secured = createEngine({ fixtures, speed: 0, requireKey: key, models: [] });

  it('requires the key as Bearer or api-key', () => {
    assertEnvelope(chat(secured, ok), 401, 'invalid_api_key');
    const wrong = assertEnvelope(chat(secured, ok, { authorization: 'Bearer sk-wrong-000000000000' }), 401, 'invalid_api_key');
    assert.doesNotMatch(wrong.message, /sk-wrong-000000000000/, 'the wrong key is not echoed in full');
    assert.equal(chat(secured, ok, { authorization: `Bearer ${key}` }).status, 200);
    assert.equal(chat(secured, ok, { 'api-key': key }).status, 200);
    assertEnvelope(secured.handleSync(mockRequest('GET', '/v1/models')), 401, 'invalid_api_key');
    assert.equal(secured.handleSync(mockRequest('GET', '/v1/models', undefined, { authorization: `Bearer ${key}` })).status, 200);
  });

  it('does not require it for /health and /__mock/*', () => {
    assert.equal(secured.handleSync(mockRequest('GET', '/health')).status, 200);
    assert.equal(secured.handleSync(mockRequest('GET', '/__mock/faults')).status, 200);
  });

  it('serves Azure deployment paths with api-key and api-version', () => {
    const path = '/openai/deployments/mock-gpt/chat/completions?api-version=2024-10-21';
    const { model: _m, ...noModel } = ok;
    const plan = secured.handleSync(mockRequest('POST', path, noModel, { 'api-key': key }));
    assert.equal(plan.status, 200, planText(plan));
    assert.equal(planJson(plan).model, 'mock-gpt');
    assertEnvelope(secured.handleSync(mockRequest('POST', path, noModel)), 401);
    assertEnvelope(secured.handleSync(mockRequest('POST', '/openai/deployments/mock-gpt/chat/completions', noModel, { 'api-key': key })), 400, 'missing_required_parameter', 'api-version');
    assertEnvelope(secured.handleSync(mockRequest('POST', '/openai/deployments/nope/chat/completions?api-version=1', noModel, { 'api-key': key })), 404, 'DeploymentNotFound');
  });
});

describe('request checks', () => {
  it('413 for a body over the limit', () => {
    const small = createEngine({ fixtures, speed: 0, bodyLimitBytes: 1000 });
    assertEnvelope(chat(small, { ...ok, messages: [{ role: 'user', content: 'x'.repeat(2000) }] }), 413, 'request_too_large');
  });

  it('400 for a body that is not JSON, in the words of OpenAI (no position), with param and code null', () => {
    const openai = /^We could not parse the JSON body of your request\. \(HINT: .* not valid JSON\.\)$/;
    for (const body of ['{"model": "mock-gpt",\n "messages": [}', '', '  ', new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const e = assertEnvelope(chat(engine, body), 400);
      assert.equal(e.type, 'invalid_request_error');
      assert.match(e.message, openai);
      assert.equal(e.param, null);
      assert.equal(e.code, null);
    }
  });

  it('400 with param from the contract', () => {
    const cases: [unknown, string][] = [
      [{ model: 'mock-gpt' }, 'messages'],
      [{ messages: ok.messages }, 'model'],
      [{ ...ok, messages: [{ role: 'bogus', content: 'x' }] }, 'messages[0].role'],
      [{ ...ok, n: 'two' }, 'n'],
      [{ ...ok, temperature: 5 }, 'temperature'],
      [{ ...ok, max_tokens: 0 }, 'max_tokens'],
      [{ ...ok, messages: [] }, 'messages'],
    ];
    for (const [body, param] of cases) {
      const e = assertEnvelope(chat(engine, body), 400, undefined, param);
      assert.ok(e.message.includes(param), `message names ${param}: ${e.message}`);
    }
    assertEnvelope(chat(engine, [1, 2]), 400);
    assertEnvelope(chat(engine, 'null'), 400);
  });

  it('400 for what the schema cannot say', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];
    assertEnvelope(chat(engine, { ...ok, tools, tool_choice: { type: 'function', function: { name: 'get_time' } } }), 400, undefined, 'tool_choice');
    assertEnvelope(chat(engine, { ...ok, tool_choice: 'required' }), 400, undefined, 'tool_choice');
    assertEnvelope(
      chat(engine, { ...ok, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'strnig' } } } }),
      400,
      'invalid_json_schema',
      'response_format.json_schema.schema',
    );
    assertEnvelope(chat(engine, { ...ok, stream_options: { include_usage: true } }), 400, undefined, 'stream_options');
    assertEnvelope(chat(engine, { ...ok, stream: false, stream_options: { include_usage: true } }), 400, undefined, 'stream_options');
    assertEnvelope(chat(engine, { ...ok, top_logprobs: 2 }), 400, undefined, 'top_logprobs');
    const image = (url: string) => ({ ...ok, messages: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, { type: 'image_url', image_url: { url } }] }] });
    assertEnvelope(chat(engine, image('data:text/plain;base64,aGVsbG8=')), 400, 'invalid_image_url', 'messages[0].content[1].image_url.url');
    assert.equal(chat(engine, image('https://example.com/cat.png')).status, 200);
  });

  it('any model name by default, echoed in model; a list of models makes it strict', () => {
    for (const model of ['gpt-4o-mini', 'gpt-3.5-turbo', 'qwen-plus', 'some/org-model:latest']) {
      const completion = planJson(chat(engine, { ...ok, model }));
      assert.equal(completion.model, model);
      assert.equal(completion.choices[0].message.role, 'assistant');
      assert.ok(planText(chat(engine, { ...ok, model, stream: true })).includes(`"model":${JSON.stringify(model)}`));
    }
    assertEnvelope(chat(strict, { ...ok, model: 'gpt-17' }), 404, 'model_not_found', 'model');
    for (const model of ['mock-gpt', 'mock-reasoner', 'qwen-plus', 'llama-3.1-8b']) assert.equal(chat(strict, { ...ok, model }).status, 200, model);
    assert.deepEqual(planJson(strict.handleSync(mockRequest('GET', '/v1/models'))).data.map((m: any) => m.id), ['mock-gpt', 'mock-reasoner', 'qwen-plus', 'llama-3.1-8b']);
    const builtIn = createEngine({ fixtures: [], speed: 0, models: [] });
    assertEnvelope(chat(builtIn, { ...ok, model: 'gpt-4o-mini' }), 404, 'model_not_found', 'model');
    // a deployment path names the model: strict servers refuse unknown deployments, lenient ones serve them
    const azure = (e: typeof engine) => e.handleSync(mockRequest('POST', '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21', { messages: ok.messages }));
    assert.equal(planJson(azure(engine)).model, 'gpt-4o');
    assertEnvelope(azure(strict), 404, 'DeploymentNotFound');
  });

  it('mock-reasoner reasons and fixture ids select their scenario, lenient or strict', () => {
    for (const e of [engine, strict]) {
      const reasoned = planJson(chat(e, { ...ok, model: 'mock-reasoner' }));
      assert.equal(typeof reasoned.choices[0].message.reasoning_content, 'string');
      const text = fixtures.find((f) => f.id === 'text-basic')!;
      assert.equal(planText(chat(e, { ...ok, model: 'text-basic' })), JSON.stringify(text.response.body));
    }
  });

  it('accepts extra fields and sampling parameters', () => {
    const plan = chat(engine, { ...ok, temperature: 0.2, top_p: 0.9, top_k: 5, presence_penalty: 1, frequency_penalty: -1, user: 'u1', min_p: 0.1, chat_template_kwargs: {} });
    assert.equal(plan.status, 200, planText(plan));
  });

  it('never throws, whatever arrives', () => {
    const weird = [
      mockRequest('POST', '/v1/chat/completions', '{"model":"mock-gpt","messages":[{"role":"user","content":[{"type":"image_url","image_url":null}]}]}'),
      mockRequest('POST', '/v1/chat/completions', { ...ok, tools: [{ type: 'function', function: { name: 'f', parameters: { $ref: '#/nope' } } }] }),
      mockRequest('POST', '/v1/chat/completions', { ...ok, stop: ['', 'the'], n: 128, max_tokens: 1 }),
      mockRequest('GET', '/v1/models/%E0%A4%A'),
      mockRequest('POST', '/v1/chat/completions', ok, { 'x-mock-fault': ',,,' }),
      mockRequest('POST', '/v1/chat/completions', ok, { 'x-mock-ttft-ms': 'soon' }),
      mockRequest('BREW', '/v1/chat/completions'),
    ];
    for (const req of weird) {
      const plan = engine.handleSync(req);
      assert.ok(plan.status >= 200 && plan.status < 500, `${req.method} ${req.path}: ${plan.status} ${planText(plan)}`);
    }
  });
});

describe('scenario selection', () => {
  const stream = fixtures.find((f) => Array.isArray(f.response.writes) && f.response.status === 200)!;
  const ruled = fixtures.find((f) => f.match?.contains)!;

  it('x-mock-scenario replays a fixture byte for byte', () => {
    const plan = chat(engine, { ...ok, stream: true }, { 'x-mock-scenario': stream.id });
    assert.equal(plan.scenario, stream.id);
    assert.equal(plan.status, stream.response.status);
    const expected = stream.response.writes!.map((w) => ('data' in w ? Buffer.from(w.data) : Buffer.from(w.base64, 'base64')));
    assert.deepEqual(Buffer.from(plan.writes.map((w) => Buffer.from(w.bytes)).reduce((a, b) => Buffer.concat([a, b]))), Buffer.concat(expected));
  });

  it('unknown scenario → 404 listing the nearest ids', () => {
    const e = assertEnvelope(chat(engine, ok, { 'x-mock-scenario': `${stream.id}x` }), 404, 'scenario_not_found', 'x-mock-scenario');
    assert.ok(e.message.includes(stream.id), e.message);
  });

  it('a model naming a fixture selects it', () => {
    const plan = chat(engine, { ...ok, model: stream.id, stream: true });
    assert.equal(plan.scenario, stream.id);
  });

  it('match rules select fixtures; other requests get the synthesizer', () => {
    const plan = chat(engine, ruled.request);
    assert.equal(plan.scenario, ruled.id);
    assert.equal(chat(engine, ok).scenario, 'default');
    assert.equal(chat(engine, { ...ruled.request, model: 'mock-gpt' }, { 'x-mock-scenario': 'default' }).scenario, 'default');
    assert.equal(chat(engine, { ...ruled.request, model: 'mock-gpt' }).scenario, ruled.id);
  });
});

describe('fault selection', () => {
  it('unknown fault → 400 listing the known ids', () => {
    const e = assertEnvelope(chat(engine, ok, { 'x-mock-fault': 'drop-aftr:3' }), 400, 'unknown_fault', 'x-mock-fault');
    assert.match(e.message, /drop-after/);
    assertEnvelope(chat(engine, ok, { 'x-mock-fault': 'drop-after:many' }), 400, 'unknown_fault');
    assertEnvelope(chat(engine, ok, { 'x-mock-fault': 'no-done:1' }), 400, 'unknown_fault');
  });

  it('server-wide unknown faults refuse to start', () => {
    assert.throws(() => createEngine({ fixtures, faults: ['nope'] }), /Unknown fault/);
  });

  it('faults are recorded in the plan', () => {
    const plan = chat(engine, { ...ok, stream: true }, { 'x-mock-fault': 'no-done, drop-after:2' });
    assert.deepEqual(plan.faults, ['no-done', 'drop-after:2']);
    assert.equal(plan.ending, 'destroy');
  });

  it('registers every fault id once', () => {
    assert.deepEqual(engine.faults.duplicates, []);
  });
});

describe('journal and admin endpoints', () => {
  it('keeps requests per session, redacted, and clears them', () => {
    const e = createEngine({ fixtures, speed: 0 });
    chat(e, ok, { authorization: 'Bearer sk-secret-abcdefghijklmnop', 'x-mock-session': 'a' });
    chat(e, { ...ok, n: 'x' }, { 'x-mock-session': 'a', 'x-mock-fault': 'no-done' });
    chat(e, ok);
    const a = planJson(e.handleSync(mockRequest('GET', '/__mock/journal?session=a')));
    assert.equal(a.session, 'a');
    assert.equal(a.entries.length, 2);
    const [first, second] = a.entries;
    assert.equal(first.method, 'POST');
    assert.equal(first.path, '/v1/chat/completions');
    assert.equal(first.status, 200);
    assert.equal(first.scenario, 'default');
    assert.deepEqual(first.body, ok);
    assert.equal(first.headers.authorization, '[redacted]');
    assert.ok(!JSON.stringify(a).includes('sk-secret'));
    assert.equal(second.status, 400);
    assert.deepEqual(second.faults, ['no-done']);
    assert.ok(second.seq > first.seq);
    const byHeader = planJson(e.handleSync(mockRequest('GET', '/__mock/journal', undefined, { 'x-mock-session': 'a' })));
    assert.equal(byHeader.entries.length, 2);
    assert.equal(planJson(e.handleSync(mockRequest('GET', '/__mock/journal'))).entries.length, 1);
    e.handleSync(mockRequest('DELETE', '/__mock/journal?session=a'));
    assert.equal(planJson(e.handleSync(mockRequest('GET', '/__mock/journal?session=a'))).entries.length, 0);
    assert.equal(planJson(e.handleSync(mockRequest('GET', '/__mock/journal'))).entries.length, 1);
  });

  it('redacts secret query parameters with the one list of lib/redact.ts (code and auth too)', () => {
    const e = createEngine({ fixtures: [], speed: 0 });
    const names = ['code', 'auth', 'key', 'api-key', 'api_key', 'token', 'access_token', 'sig', 'signature', 'password'];
    const query = names.map((n) => `${n}=s3cr3t-${n}`).join('&');
    e.handleSync(mockRequest('POST', `/v1/chat/completions?${query}&api-version=2024-10-21`, ok, { 'x-mock-session': 'q' }));
    const [entry] = planJson(e.handleSync(mockRequest('GET', '/__mock/journal?session=q'))).entries;
    for (const n of names) assert.equal(entry.query[n], '[redacted]', n);
    assert.equal(entry.query['api-version'], '2024-10-21');
    assert.ok(!JSON.stringify(entry).includes('s3cr3t'));
  });

  it('is bounded', () => {
    const e = createEngine({ fixtures: [], speed: 0, journalLimit: 5 });
    for (let i = 0; i < 12; i++) e.handleSync(mockRequest('GET', '/v1/models'));
    const j = planJson(e.handleSync(mockRequest('GET', '/__mock/journal')));
    assert.equal(j.entries.length, 5);
    assert.equal(j.entries[4].seq, 12);
  });

  it('lists fixtures and faults', () => {
    const f = planJson(engine.handleSync(mockRequest('GET', '/__mock/fixtures')));
    assert.equal(f.fixtures.length, fixtures.length);
    assert.ok(f.fixtures.every((x: any) => typeof x.id === 'string' && typeof x.stream === 'boolean'));
    const faults = planJson(engine.handleSync(mockRequest('GET', '/__mock/faults')));
    const ids = faults.faults.map((x: any) => x.id);
    for (const id of ['status', 'drop-after', 'stall-after', 'malformed-json', 'no-done', 'wrong-content-type', 'slow-first-byte', 'hang-after-headers', 'invalid-utf8', 'never-end', 'error-event']) {
      assert.ok(ids.includes(id), id);
    }
    // a contract fault shows the checks it breaks besides the ones that name it
    const withCollateral = faults.faults.filter((x: any) => Array.isArray(x.alsoBreaks));
    assert.ok(withCollateral.length > 0 && withCollateral.every((x: any) => x.alsoBreaks.every((id: unknown) => typeof id === 'string')));
    assert.ok(faults.faults.every((x: any) => !('proves' in x)));
  });
});
