import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { assembleCompletion, assembleStream } from './assemble.ts';
import {
  FIXTURES_DIR,
  FixtureError,
  clearFixtureCache,
  findFixture,
  fixtureBodyBytes,
  fixtureBytes,
  isStreamFixture,
  loadFixtures,
  validateFixture,
} from './fixtures.ts';
import type { Fixture } from './fixture-format.ts';
import { redactText } from './redact.ts';
import { parseSseText } from './sse.ts';

const fixtures = loadFixtures();

function bodyText(f: Fixture): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(fixtureBodyBytes(f));
}

test('every fixture loads, and there are at least 32 with unique ids', () => {
  assert.ok(fixtures.length >= 32, `only ${fixtures.length} fixtures`);
  assert.equal(new Set(fixtures.map((f) => f.id)).size, fixtures.length);
  assert.equal(loadFixtures(), fixtures, 'cached per directory');
  assert.equal(findFixture('stream-text')?.id, 'stream-text');
});

test('every 200 and every error scenario has an expect; error scenarios expect their status', () => {
  for (const f of fixtures) {
    const s = f.response.status;
    if (s === 200 || s >= 400) assert.ok(f.expect, `${f.id}: no expect`);
    if (s >= 400) assert.equal(f.expect?.error?.status, s, `${f.id}: expect.error.status`);
  }
});

test('the required scenarios are present', () => {
  const ids = new Set(fixtures.map((f) => f.id));
  for (const id of [
    'text-basic', 'multi-turn', 'system-developer-messages', 'stream-text', 'stream-include-usage', 'max-tokens-length',
    'stop-sequence', 'n-2', 'stream-n-2', 'tool-call', 'tool-call-parallel', 'stream-tool-call-split-escape-utf8',
    'tool-result-turn', 'tool-choice-none', 'stream-reasoning-content', 'refusal', 'content-filter-finish', 'json-object',
    'json-schema', 'vision-image-input', 'logprobs', 'azure-stream-content-filter', 'stream-crlf', 'stream-keep-alive',
    'stream-error-mid-stream', 'error-400-invalid-request', 'error-401-invalid-key', 'error-404-model-not-found',
    'error-429-rate-limit', 'error-500-server', 'error-503-overloaded', 'llamacpp-timings', 'vllm-stop-reason',
  ]) assert.ok(ids.has(id), `missing ${id}`);
});

test('stream fixtures: the body is UTF-8 and every data event is JSON, except [DONE]', () => {
  for (const f of fixtures.filter(isStreamFixture)) {
    const { events } = parseSseText(bodyText(f));
    assert.ok(events.length > 0, `${f.id}: no events`);
    for (const [i, e] of events.entries()) {
      if (e.data === '[DONE]') {
        assert.equal(i, events.length - 1, `${f.id}: [DONE] is not last`);
        continue;
      }
      assert.doesNotThrow(() => JSON.parse(e.data), `${f.id}: event ${i} is not JSON: ${e.data.slice(0, 60)}`);
    }
  }
});

test('non-stream fixtures: body is JSON that serializes to the bytes on the wire', () => {
  for (const f of fixtures.filter((x) => !isStreamFixture(x))) {
    const text = bodyText(f);
    assert.deepEqual(JSON.parse(text), f.response.raw !== undefined ? JSON.parse(f.response.raw) : f.response.body, f.id);
  }
});

test('consistency: the reference assembler gives exactly `expect` for every fixture', () => {
  let checked = 0;
  for (const f of fixtures) {
    if (!f.expect) continue;
    const status = f.response.status;
    const got = isStreamFixture(f)
      ? assembleStream(parseSseText(bodyText(f)).events, { status })
      : assembleCompletion(JSON.parse(bodyText(f)), { status });
    assert.deepEqual(got, f.expect, `${f.id}: assembled answer differs from expect`);
    checked++;
  }
  assert.ok(checked >= 32);
});

test('framing fixtures really contain what they claim', () => {
  const crlf = bodyText(findFixture('stream-crlf')!);
  assert.ok(crlf.includes('\r\n\r\n') && !/[^\r]\n/.test(crlf), 'stream-crlf uses CRLF only');
  assert.ok(parseSseText(bodyText(findFixture('stream-keep-alive')!)).comments.includes('keep-alive'));
  const azure = parseSseText(bodyText(findFixture('azure-stream-content-filter')!)).events;
  const first = JSON.parse(azure[0].data);
  assert.deepEqual(first.choices, []);
  assert.ok(Array.isArray(first.prompt_filter_results));
  assert.ok(JSON.parse(azure[2].data).choices[0].content_filter_results.hate);
  const usage = parseSseText(bodyText(findFixture('stream-include-usage')!)).events;
  const last = JSON.parse(usage[usage.length - 2].data);
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.total_tokens > 0);

  // the split fixture: some writes end inside a UTF-8 character, and the arguments split inside escapes
  const split = findFixture('stream-tool-call-split-escape-utf8')!;
  const cutsInsideChar = split.response.writes!.filter((w) => {
    const bytes = fixtureBytes(w);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(cutsInsideChar.length >= 3, 'writes cut UTF-8 characters');
  const fragments = parseSseText(bodyText(split))
    .events.filter((e) => e.data !== '[DONE]')
    .flatMap((e) => JSON.parse(e.data).choices[0].delta.tool_calls ?? [])
    .map((t: { function: { arguments?: string } }) => t.function.arguments ?? '');
  assert.ok(fragments.some((a: string) => a.endsWith('\\')), 'a fragment ends between \\ and "');
  assert.ok(fragments.some((a: string) => /\\u00$/.test(a)), 'a fragment ends inside \\u00e9');
});

test('match rules: each fixture with rules is selected for its own request; no other fixture is', async () => {
  const { ScenarioIndex } = await import('../mock-server/scenarios.ts');
  const index = new ScenarioIndex(fixtures);
  for (const f of fixtures) {
    const selected = index.select(f.request)?.id;
    if (f.match) assert.equal(selected, f.id, `${f.id}: its own request selects ${selected}`);
    else assert.equal(selected, undefined, `${f.id} has no rules, yet its request selects ${selected}`);
  }
});

test('a stream answer goes with a stream request (stream: true), and only then', () => {
  for (const f of fixtures) {
    if (f.response.status !== 200) continue;
    assert.equal(isStreamFixture(f), f.request.stream === true, f.id);
  }
});

test('no fixture contains anything shaped like a secret', () => {
  for (const f of fixtures) {
    const text = JSON.stringify(f);
    assert.equal(redactText(text), text, `${f.id} contains a key-like string`);
    for (const h of Object.keys(f.response.headers)) assert.ok(!['authorization', 'api-key', 'set-cookie'].includes(h), `${f.id}: ${h}`);
  }
});

test('handwritten fixtures name a public source and a date', () => {
  for (const f of fixtures) {
    assert.ok(f.source.from.length > 10, f.id);
    assert.match(f.source.at ?? '', /^\d{4}-\d{2}-\d{2}/, f.id);
  }
});

test('fixtureBytes: data is UTF-8 text, base64 is raw bytes', () => {
  assert.deepEqual([...fixtureBytes({ delay: 0, data: 'é\r\n' })], [0xc3, 0xa9, 0x0d, 0x0a]);
  assert.deepEqual([...fixtureBytes({ delay: 0, base64: 'w6k=' })], [0xc3, 0xa9]);
  assert.deepEqual([...fixtureBytes({ delay: 0, base64: '4pg=' })], [0xe2, 0x98]);
});

// ---------------------------------------------------------------------------------------------
// a bad shape gives an error that names the file and the field

const good = () => ({
  id: 'bad',
  title: 'a fixture to break',
  source: { kind: 'handwritten', from: 'a test', at: '2026-11-23' },
  request: { model: 'm', messages: [] },
  response: { status: 200, headers: { 'content-type': 'text/event-stream' }, writes: [{ delay: 1, data: 'data: [DONE]\n\n' }] },
});

function expectError(mutate: (f: any) => void, field: string, file = 'bad.yaml', extra?: (dir: string) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixtures-test-'));
  try {
    const f: any = good();
    mutate(f);
    mkdirSync(path.join(dir, 'group'));
    writeFileSync(path.join(dir, 'group', file), typeof f === 'string' ? f : stringify(f));
    extra?.(dir);
    assert.throws(
      () => loadFixtures(dir),
      (e: unknown) => {
        assert.ok(e instanceof FixtureError, String(e));
        assert.ok(e.message.includes(file), `names the file: ${e.message}`);
        assert.ok(e.message.includes(field), `names the field ${field}: ${e.message}`);
        return true;
      },
    );
  } finally {
    clearFixtureCache(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the fixture format is a JSON Schema of its own: a plain Ajv, no project code, accepts every fixture', async () => {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const schema = JSON.parse(readFileSync(path.join(FIXTURES_DIR, '..', 'schemas', 'fixture.schema.json'), 'utf8'));
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.$id, 'https://oai-compat.dev/schemas/fixture.schema.json');
  const check = new Ajv2020({ allErrors: true }).compile(schema);
  for (const f of fixtures) assert.ok(check(JSON.parse(JSON.stringify(f))), `${f.id}: ${JSON.stringify(check.errors)}`);
  assert.equal(check({ ...good(), respons: {} }), false, 'unknown keys are errors');
});

test('bad shapes: errors name the file and the field', () => {
  expectError((f) => (f.id = 'other'), 'id');
  expectError((f) => (f.id = 'Bad_Id'), 'id', 'Bad_Id.yaml');
  expectError((f) => delete f.source, 'source');
  expectError((f) => (f.source.kind = 'scraped'), 'source.kind');
  expectError((f) => delete f.source.from, 'source.from');
  expectError((f) => delete f.response.headers['content-type'], 'response.headers.content-type');
  expectError((f) => (f.response.headers['Content-Type'] = 'x'), 'response.headers.Content-Type');
  expectError((f) => (f.response.status = '200'), 'response.status');
  expectError((f) => (f.response.body = {}), 'response');
  expectError((f) => delete f.response.writes, 'response');
  expectError((f) => (f.response.writes[0].base64 = 'AAAA'), 'response.writes[0]');
  expectError((f) => (f.response.writes[0].delay = -1), 'response.writes[0].delay');
  expectError((f) => (f.response.writes = [{ delay: 0 }]), 'response.writes[0]');
  expectError((f) => (f.response.writes = [{ delay: 0, base64: 'not base64!' }]), 'response.writes[0].base64');
  expectError((f) => (f.match = { stream: 'yes' }), 'match.stream');
  expectError((f) => (f.match = { streams: true }), 'match.streams');
  expectError((f) => (f.expect = { error: { status: 500 } }), 'expect.error.type');
  expectError((f) => (f.expect = { tool_calls: [{ name: 'x' }] }), 'expect.tool_calls[0].arguments');
  expectError((f) => (f.respons = f.response), 'respons');
  expectError((f) => (f.title = '  '), 'title');
  expectError((f) => (f.source.at = 'yesterday'), 'source.at');
  expectError((f) => (f.match = {}), 'match');
  expectError((f) => (f.expect = { contnt: 'x' }), 'expect.contnt');
  expectError((f) => (f.expect = { choices: [{ content: 'a' }, { contnt: 'b' }] }), 'expect.choices[1].contnt');
  expectError((f) => (f.expect = { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: -1 } }), 'expect.usage.total_tokens');
  expectError((f) => (f.tags = [1]), 'tags[0]');
  // not YAML at all
  const dir = mkdtempSync(path.join(tmpdir(), 'fixtures-test-'));
  try {
    writeFileSync(path.join(dir, 'broken.yaml'), 'id: [unclosed\n');
    assert.throws(() => loadFixtures(dir), /broken\.yaml: is not valid YAML/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // the same id in two directories
  expectError(() => {}, 'id', 'bad.yaml', (d) => {
    mkdirSync(path.join(d, 'other'));
    writeFileSync(path.join(d, 'other', 'bad.yaml'), stringify(good()));
  });
});

test('errors say what the field needs', () => {
  const cases: [(f: any) => void, string][] = [
    [(f) => (f.id = 'Bad_Id'), 'x.yaml: id: must be kebab-case'],
    [(f) => (f.response.writes[0].base64 = 'AAAA'), 'x.yaml: response.writes[0]: has data and base64: exactly one of data, base64 is allowed'],
    [(f) => delete f.response.writes, 'x.yaml: response: needs one of body, raw, writes'],
    [(f) => (f.response.headers['Content-Type'] = 'x'), 'x.yaml: response.headers.Content-Type: must be a lower-case header name'],
    [(f) => (f.source.kind = 'scraped'), 'x.yaml: source.kind: must be one of: recorded, handwritten'],
    [(f) => (f.match = { streams: true }), 'x.yaml: match.streams: is not a known field (expected one of stream, tools,'],
    [(f) => (f.response.writes[0].delay = -1), 'x.yaml: response.writes[0].delay: must be >= 0'],
  ];
  for (const [mutate, message] of cases) {
    const f: any = good();
    mutate(f);
    assert.throws(() => validateFixture(f, 'x.yaml'), (e: Error) => e.message.startsWith(message) || assert.fail(`${e.message}\n  should start with\n${message}`));
  }
});

test('the fixtures directory is <repo>/fixtures', () => {
  assert.ok(readFileSync(path.join(FIXTURES_DIR, '..', 'package.json'), 'utf8').includes('"oai-compat"'));
});

// ---------------------------------------------------------------------------------------------
// the reference assembler on its own

test('assembleStream: fragments by index, ids without index, usage chunk, [DONE] ends', () => {
  const ev = (o: unknown) => ({ data: JSON.stringify(o) });
  const got = assembleStream([
    ev({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }),
    ev({ choices: [{ index: 0, delta: { reasoning: 'hm' } }] }),
    ev({ choices: [{ index: 0, delta: { tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{"x":' } }] } }] }),
    ev({ choices: [{ index: 0, delta: { tool_calls: [{ function: { arguments: '1}' } }] } }] }),
    ev({ choices: [{ index: 0, delta: { tool_calls: [{ id: 'b', function: { name: 'g', arguments: 'not json' } }] } }] }),
    ev({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
    ev({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, extra: 1 } }),
    { data: '[DONE]' },
    ev({ choices: [{ index: 0, delta: { content: 'after done' } }] }),
  ]);
  assert.deepEqual(got, {
    content: null,
    reasoning: 'hm',
    tool_calls: [
      { id: 'a', name: 'f', arguments: { x: 1 } },
      { id: 'b', name: 'g', arguments: 'not json' },
    ],
    finish_reason: 'tool_calls',
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  });
});

test('assembleStream and assembleCompletion agree on the same answer; errors in both shapes', () => {
  const streamed = assembleStream([
    { data: JSON.stringify({ choices: [{ index: 1, delta: { content: 'B' }, finish_reason: 'stop' }] }) },
    { data: JSON.stringify({ choices: [{ index: 0, delta: { content: 'A' }, finish_reason: 'length' }] }) },
  ]);
  const whole = assembleCompletion({
    choices: [
      { index: 0, message: { content: 'A' }, finish_reason: 'length' },
      { index: 1, message: { content: 'B' }, finish_reason: 'stop' },
    ],
  });
  assert.deepEqual(streamed, whole);
  assert.deepEqual(streamed.choices?.length, 2);
  assert.deepEqual(assembleCompletion({ object: 'error', message: 'x', type: 'BadRequestError', code: 400 }, { status: 400 }), {
    error: { status: 400, type: 'BadRequestError', code: '400' },
  });
  assert.deepEqual(assembleStream([{ data: '{"error":{"message":"m","type":"server_error"}}' }]), { error: { status: 200, type: 'server_error' } });
  assert.throws(() => assembleStream([{ data: 'not json' }]), /event 0 is not JSON/);
});
