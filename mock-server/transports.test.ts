// Both transports on the wire: streams go out incrementally with the planned delays; the direct
// node:http writer and the --via-msw path give the same status, headers and bytes for every fixture
// and for synthesized answers; 200 concurrent streaming clients get complete streams.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assembleStream } from '../lib/assemble.ts';
import { loadFixtures } from '../lib/fixtures.ts';
import { readSse } from '../lib/sse.ts';
import { createEngine } from './engine.ts';
import { startMockServer, type RunningMockServer } from './standalone.ts';
import { rawRequest, type RawResponse } from '../test-support/mock.ts';

const fixtures = loadFixtures();
const HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

function comparable(r: RawResponse) {
  const headers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.headers)) if (!HOP.has(k)) headers[k] = v;
  return { status: r.status, headers, body: r.body.toString('base64'), error: r.error };
}

describe('streams go out incrementally', () => {
  let direct: RunningMockServer;
  let viaMsw: RunningMockServer;
  before(async () => {
    direct = await startMockServer({ fixtures, speed: 1, quiet: true });
    viaMsw = await startMockServer({ fixtures, speed: 1, quiet: true, viaMsw: true });
  });
  after(async () => {
    await direct.close();
    await viaMsw.close();
  });

  for (const name of ['direct', 'via-msw']) {
    it(`${name}: the time between the first and the last event matches x-mock-chunk-delay-ms`, async () => {
      const server = name === 'direct' ? direct : viaMsw;
      const gap = 25;
      const started = performance.now();
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mock-ttft-ms': '0', 'x-mock-chunk-delay-ms': String(gap) },
        body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], max_tokens: 12, stream: true }),
      });
      const sse = await readSse(res.body, { startedAt: started, idleTimeoutMs: 3000 });
      assert.equal(sse.end, 'eof');
      const n = sse.events.length;
      assert.ok(n >= 14, `${n} events`);
      assert.equal(sse.events[n - 1].data, '[DONE]', 'the last write arrives before the end of the body');
      const span = sse.events[n - 1].atMs - sse.events[0].atMs;
      const planned = (n - 1) * gap;
      assert.ok(span >= planned * 0.8, `span ${span.toFixed(0)} ms < 0.8 × planned ${planned} ms`);
      assert.ok(span <= planned + 400, `span ${span.toFixed(0)} ms ≫ planned ${planned} ms`);
      assert.ok(new Set(sse.events.map((e) => e.read)).size >= n * 0.8, 'events arrived in separate reads');
    });
  }

  it('a fixture replays with its recorded delays at speed 1', async () => {
    const f = fixtures.find((x) => x.id === 'stream-text') ?? fixtures.find((x) => Array.isArray(x.response.writes))!;
    const delays = f.response.writes!.map((w) => w.delay);
    const planned = delays.slice(1).reduce((a, b) => a + b, 0);
    const started = performance.now();
    const res = await fetch(`${direct.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-scenario': f.id },
      body: JSON.stringify(f.request),
    });
    const sse = await readSse(res.body, { startedAt: started, idleTimeoutMs: 3000 });
    const span = sse.reads[sse.reads.length - 1].atMs - sse.reads[0].atMs;
    assert.ok(span >= planned * 0.8, `span ${span.toFixed(0)} ms, recorded ${planned} ms`);
  });
});

describe('direct and via-msw give the same status, headers and bytes', () => {
  let direct: RunningMockServer;
  let viaMsw: RunningMockServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const now = () => 1_767_225_600_000;
  before(async () => {
    direct = await startMockServer({ quiet: true, engine: createEngine({ fixtures, speed: 0, idSeed: 'same', now }) });
    viaMsw = await startMockServer({ quiet: true, viaMsw: true, engine: createEngine({ fixtures, speed: 0, idSeed: 'same', now }) });
  });
  after(async () => {
    agent.destroy();
    await direct.close();
    await viaMsw.close();
  });

  async function both(path: string, options: { method?: string; headers?: Record<string, string>; body?: string }) {
    const a = await rawRequest(`${direct.url}${path}`, { ...options, agent });
    const b = await rawRequest(`${viaMsw.url}${path}`, { ...options, agent });
    return [comparable(a), comparable(b)] as const;
  }

  it(`for every fixture (${fixtures.length})`, async () => {
    assert.ok(fixtures.length > 0);
    for (const f of fixtures) {
      const [a, b] = await both('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mock-scenario': f.id },
        body: JSON.stringify(f.request),
      });
      assert.equal(a.status, f.response.status, f.id);
      assert.deepEqual(b, a, f.id);
    }
  });

  it('for synthesized answers, errors and faults', async () => {
    const chat = (body: unknown, headers: Record<string, string> = {}) => ({
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const msg = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const tool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
    const cases: { path: string; method: string; headers?: Record<string, string>; body?: string }[] = [
      chat({ model: 'mock-gpt', messages: msg }),
      chat({ model: 'mock-gpt', messages: msg, stream: true, stream_options: { include_usage: true }, n: 2 }),
      chat({ model: 'mock-gpt', messages: msg, stream: true, tools: [tool] }),
      chat({ model: 'mock-reasoner', messages: msg, stream: true, logprobs: true, top_logprobs: 2 }),
      chat({ model: 'mock-gpt', messages: msg, response_format: { type: 'json_schema', json_schema: { name: 'w', schema: tool.function.parameters } } }),
      chat('{"model": '),
      chat({ model: 'mock-gpt', messages: [{ role: 'nobody', content: 'x' }] }),
      chat({ model: 'gpt-404', messages: msg }),
      chat({ model: 'mock-gpt', messages: msg, stream: true }, { 'x-mock-fault': 'no-done,crlf' }),
      chat({ model: 'mock-gpt', messages: msg }, { 'x-mock-fault': 'status:429' }),
      chat({ model: 'mock-gpt', messages: msg }, { 'x-mock-fault': 'malformed-json' }),
      chat({ model: 'mock-gpt', messages: msg, stream: true }, { 'x-mock-fault': 'invalid-utf8' }),
      chat({ model: 'mock-gpt', messages: msg, stream: true }, { 'x-mock-fault': 'error-event' }),
      chat({ model: 'mock-gpt', messages: msg }, { 'x-mock-fault': 'nope' }),
      { path: '/v1/chat/completions', method: 'GET' },
      { path: '/v1/nothing', method: 'POST', body: '{}' },
      { path: '/v1/models', method: 'GET' },
      { path: '/models/mock-gpt', method: 'GET' },
      { path: '/health', method: 'GET' },
    ];
    for (const { path, ...options } of cases) {
      const [a, b] = await both(path, options);
      assert.deepEqual(b, a, `${options.method} ${path} ${options.body ?? ''} ${JSON.stringify(options.headers ?? {})}`);
    }
  });

  it('a stream that drops mid-way breaks on both', async () => {
    const body = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'x' }], stream: true });
    const [a, b] = await both('/v1/chat/completions', { method: 'POST', headers: { 'x-mock-fault': 'drop-after:3' }, body });
    assert.ok(a.error && b.error, 'both report a broken body');
    assert.equal(a.body, b.body);
  });
});

describe('the Date header', () => {
  let server: RunningMockServer;
  before(async () => {
    server = await startMockServer({ fixtures, speed: 0, quiet: true });
  });
  after(async () => {
    await server.close();
  });

  it('a replayed fixture claims no Date of today (`created` in it is judged against Date); a synthesized answer has one', async () => {
    const f = fixtures.find((x) => x.id === 'text-basic')!;
    const replayed = await rawRequest(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-scenario': f.id },
      body: JSON.stringify(f.request),
    });
    assert.equal(replayed.headers.date, f.response.headers?.date);
    const synthesized = await rawRequest(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    assert.equal(typeof synthesized.headers.date, 'string');
  });
});

describe('200 concurrent streaming clients', () => {
  for (const viaMsw of [false, true]) {
    it(`${viaMsw ? 'via-msw' : 'direct'}: 0 errors`, async () => {
      const server = await startMockServer({ fixtures, speed: 1, quiet: true, viaMsw });
      try {
        const one = async (i: number) => {
          const res = await fetch(`${server.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-mock-chunk-delay-ms': '2' },
            body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: `client ${i}` }], stream: true, stream_options: { include_usage: true } }),
          });
          const sse = await readSse(res.body, { idleTimeoutMs: 10_000 });
          if (res.status !== 200) throw new Error(`status ${res.status}`);
          if (sse.end !== 'eof') throw new Error(`stream ${sse.end}`);
          const assembled = assembleStream(sse.events);
          if (!assembled.content?.includes(`client ${i}`)) throw new Error(`content ${assembled.content}`);
          if (!assembled.usage) throw new Error('no usage');
          if (sse.events[sse.events.length - 1].data !== '[DONE]') throw new Error('no [DONE]');
        };
        const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => one(i)));
        const errors = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
        assert.deepEqual(errors, []);
      } finally {
        await server.close();
      }
    });
  }
});
