// Every transport fault does what it says, on the wire: a real server, fetch, the project's SSE reader.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadFixtures } from '../lib/fixtures.ts';
import { readSse, type SseCapture } from '../lib/sse.ts';
import { validate } from '../lib/validate.ts';
import { startMockServer, type RunningMockServer } from './standalone.ts';

let server: RunningMockServer;
let base: string;
const fixtures = loadFixtures();
const streamFixture = fixtures.find((f) => Array.isArray(f.response.writes) && f.response.status === 200 && f.id === 'stream-text') ??
  fixtures.find((f) => Array.isArray(f.response.writes) && f.response.status === 200)!;

before(async () => {
  server = await startMockServer({ fixtures, speed: 0, quiet: true });
  base = `${server.url}/v1`;
});
after(() => server.close());

const body = (extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Tell me about llamas' }], ...extra });

async function post(fault: string | undefined, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const started = performance.now();
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(fault ? { 'x-mock-fault': fault } : {}), ...headers },
    body: JSON.stringify(body(extra)),
    signal,
  });
  return { res, started, headersMs: performance.now() - started };
}

async function streamWith(fault: string | undefined, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, idleTimeoutMs = 2000): Promise<{ res: Response; sse: SseCapture; headersMs: number }> {
  const { res, started, headersMs } = await post(fault, { stream: true, ...extra }, headers);
  const sse = await readSse(res.body, { startedAt: started, idleTimeoutMs, deadlineMs: 10_000 });
  return { res, sse, headersMs };
}

const dataEvents = (sse: SseCapture) => sse.events.filter((e) => e.data !== '[DONE]');
const hasDone = (sse: SseCapture) => sse.events.some((e) => e.data === '[DONE]');

describe('transport faults on the wire', () => {
  it('baseline: a stream ends with [DONE] at eof', async () => {
    const { sse } = await streamWith(undefined);
    assert.equal(sse.end, 'eof');
    assert.ok(hasDone(sse));
  });

  it('status:429 / 500 / 503 → the envelope, 429 with retry-after and x-ratelimit-*', async () => {
    for (const code of [429, 500, 503]) {
      const { res } = await post(`status:${code}`, { stream: true });
      assert.equal(res.status, code);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const json = await res.json();
      assert.ok(validate('error', json).ok);
      if (code === 429) {
        assert.equal(res.headers.get('retry-after'), '1');
        assert.equal(res.headers.get('x-ratelimit-remaining-requests'), '0');
        assert.ok(res.headers.get('x-ratelimit-reset-requests'));
        assert.equal(json.error.code, 'rate_limit_exceeded');
      }
      if (code === 503) assert.ok(res.headers.get('retry-after'));
    }
  });

  it('drop-after:N → N events, then the connection breaks', async () => {
    const { sse } = await streamWith('drop-after:3');
    assert.equal(sse.events.length, 3);
    assert.equal(sse.end, 'reset', sse.endDetail);
    const { res } = await post('drop-after:3');
    await assert.rejects(res.text(), 'a non-stream body breaks too');
  });

  it('stall-after:N → N events, then silence with the connection open', async () => {
    const { sse } = await streamWith('stall-after:2', {}, {}, 300);
    assert.equal(sse.events.length, 2);
    assert.equal(sse.end, 'idle-timeout');
  });

  it('malformed-json → an event whose data is not JSON; non-stream: a body that is not JSON', async () => {
    const { sse } = await streamWith('malformed-json');
    const bad = dataEvents(sse).filter((e) => {
      try {
        JSON.parse(e.data);
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(bad.length, 1);
    assert.ok(hasDone(sse));
    const { res } = await post('malformed-json');
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.throws(() => JSON.parse(text));
  });

  it('no-done → the stream ends without [DONE]', async () => {
    const { sse } = await streamWith('no-done');
    assert.equal(sse.end, 'eof');
    assert.ok(!hasDone(sse));
    assert.ok(dataEvents(sse).length > 5);
  });

  it('wrong-content-type → text/plain for streams, text/html for JSON', async () => {
    const { res } = await streamWith('wrong-content-type');
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const plain = await post('wrong-content-type');
    assert.match(plain.res.headers.get('content-type') ?? '', /^text\/html/);
    await plain.res.text();
  });

  it('slow-first-byte:MS → the headers wait', async () => {
    const { headersMs, sse } = await streamWith('slow-first-byte:300');
    assert.ok(headersMs >= 280, `headers after ${headersMs} ms`);
    assert.ok(hasDone(sse));
  });

  it('hang-after-headers → 200 headers, then nothing', async () => {
    const { res, sse } = await streamWith('hang-after-headers', {}, {}, 300);
    assert.equal(res.status, 200);
    assert.equal(sse.events.length, 0);
    assert.equal(sse.end, 'idle-timeout');
  });

  it('invalid-utf8 → bytes that are not UTF-8', async () => {
    const { sse } = await streamWith('invalid-utf8');
    assert.equal(sse.end, 'invalid-utf8');
    const { res } = await post('invalid-utf8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  });

  it('never-end:MS → keep-alive comments until the client leaves, no [DONE]', async () => {
    const controller = new AbortController();
    const { res, started } = await post('never-end:40', { stream: true }, {}, controller.signal);
    setTimeout(() => controller.abort(), 400);
    const sse = await readSse(res.body, { startedAt: started, signal: controller.signal });
    assert.equal(sse.end, 'aborted');
    assert.ok(!hasDone(sse));
    assert.ok(sse.comments.length >= 4, `${sse.comments.length} comments`);
    assert.ok(dataEvents(sse).length > 5);
  });

  it('error-event → an error object mid-stream, then the end without [DONE]', async () => {
    const { sse } = await streamWith('error-event');
    const last = JSON.parse(sse.events[sse.events.length - 1].data);
    assert.ok(validate('error', last).ok);
    assert.ok(!hasDone(sse));
    assert.ok(sse.events.length > 3);
  });

  it('reset → no response at all; no-response → nothing until the client leaves', async () => {
    await assert.rejects(post('reset'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(post('no-response', {}, {}, controller.signal), /abort/i);
  });

  it('crlf and split-writes keep the same events', async () => {
    const plain = await streamWith(undefined, { seed: 1 });
    for (const fault of ['crlf', 'split-writes:2']) {
      const { sse } = await streamWith(fault, { seed: 1 });
      const strip = (s: SseCapture) => s.events.map((e) => e.data.replace(/"(id|created)":("[^"]*"|\d+)/g, ''));
      assert.deepEqual(strip(sse), strip(plain.sse), fault);
    }
    const { sse } = await streamWith('crlf');
    assert.ok(new TextDecoder().decode(sse.raw).includes('\r\n\r\n'));
  });

  it('faults compose: slow-first-byte, then drop-after', async () => {
    const { sse, headersMs } = await streamWith('slow-first-byte:150,drop-after:2');
    assert.ok(headersMs >= 130);
    assert.equal(sse.events.length, 2);
    assert.equal(sse.end, 'reset');
  });

  it('structured faults work on fixture replays too', async () => {
    const { sse } = await streamWith('drop-after:2', {}, { 'x-mock-scenario': streamFixture.id });
    assert.equal(sse.events.length, 2);
    assert.equal(sse.end, 'reset');
    const noDone = await streamWith('no-done', {}, { 'x-mock-scenario': streamFixture.id });
    assert.ok(!hasDone(noDone.sse));
    assert.ok(noDone.sse.events.length > 1);
  });

  it('the server keeps answering after all that', async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    await res.text();
  });
});

describe('server-wide faults and close()', () => {
  it('--fault applies to every request; x-mock-fault adds more', async () => {
    const s = await startMockServer({ fixtures, speed: 0, quiet: true, faults: ['no-done'] });
    try {
      const res = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body({ stream: true })), headers: { 'x-mock-fault': 'drop-after:4' } });
      const sse = await readSse(res.body, { idleTimeoutMs: 2000 });
      assert.equal(sse.events.length, 4);
      const j = await (await fetch(`${s.url}/__mock/journal`)).json();
      assert.deepEqual(j.entries[0].faults, ['no-done', 'drop-after:4']);
    } finally {
      await s.close();
    }
  });

  it('close() ends hanging and stalled connections at once', async () => {
    const s = await startMockServer({ fixtures, speed: 1, quiet: true });
    const hang = fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body({ stream: true })), headers: { 'x-mock-fault': 'hang-after-headers' } });
    const never = fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body()), headers: { 'x-mock-fault': 'no-response' } });
    never.catch(() => {});
    const res = await hang;
    const reading = readSse(res.body, { idleTimeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await s.close();
    assert.ok(performance.now() - t0 < 1000, 'close() did not wait for the clients');
    const sse = await reading;
    assert.equal(sse.end, 'reset');
    await assert.rejects(never);
  });
});

describe('counted faults (retry scenarios), per x-mock-session', () => {
  const journal = async (session: string) => (await (await fetch(`${server.url}/__mock/journal?session=${session}`)).json()).entries;

  it('fail-first:N:STATUS fails the first N requests of a session (with retry-after), then answers; sessions count apart', async () => {
    const a = { 'x-mock-session': 'retry-a' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { res } = await post('fail-first:2:429', {}, a);
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.headers.get('retry-after'), '1');
        assert.equal(res.headers.get('retry-after-ms'), '1000');
        const e = (await res.json()).error;
        assert.equal(e.type, 'requests');
        assert.equal(e.code, 'rate_limit_exceeded');
      } else assert.equal((await res.json()).object, 'chat.completion');
    }
    assert.deepEqual(statuses, [429, 429, 200, 200]);
    const other = await post('fail-first:1', {}, { 'x-mock-session': 'retry-b' });
    assert.equal(other.res.status, 503, 'another session counts from 1; 503 is the default status');
    assert.equal(other.res.headers.get('retry-after'), '1');
    await other.res.arrayBuffer();
    const longer = await post('fail-first:1:500:3', {}, { 'x-mock-session': 'retry-c' });
    assert.equal(longer.res.status, 500);
    assert.equal(longer.res.headers.get('retry-after'), '3', 'SECONDS sets retry-after on any status');
    assert.equal(longer.res.headers.get('retry-after-ms'), '3000');
    await longer.res.arrayBuffer();
    const entries = await journal('retry-a');
    assert.deepEqual(entries.map((e: any) => [e.attempt, e.status]), [[1, 429], [2, 429], [3, 200], [4, 200]]);
    const times = entries.map((e: any) => Date.parse(e.at));
    assert.ok(times.every((t: number, i: number) => i === 0 || t >= times[i - 1]), 'each attempt with its time');
    // clearing the session's journal starts the count again
    await fetch(`${server.url}/__mock/journal?session=retry-a`, { method: 'DELETE' });
    assert.equal((await post('fail-first:2:429', {}, a)).res.status, 429);
  });

  it('drop-once-after:K cuts the first stream of a session after K events; the retry gets the whole stream', async () => {
    const h = { 'x-mock-session': 'drop-once' };
    const first = await streamWith('drop-once-after:2', {}, h);
    assert.equal(first.res.status, 200);
    assert.equal(first.sse.events.length, 2);
    assert.notEqual(first.sse.end, 'eof');
    const second = await streamWith('drop-once-after:2', {}, h);
    assert.equal(second.sse.end, 'eof');
    assert.equal(second.sse.events[second.sse.events.length - 1].data, '[DONE]');
    assert.deepEqual((await journal('drop-once')).map((e: any) => e.attempt), [1, 2]);
  });

  it('refuses bad parameters', async () => {
    for (const spec of ['fail-first', 'fail-first:0', 'fail-first:2:200', 'fail-first:x', 'fail-first:1:503:601', 'drop-once-after:-1']) {
      const { res } = await post(spec);
      assert.equal(res.status, 400, spec);
      assert.equal((await res.json()).error.code, 'unknown_fault');
    }
  });
});
