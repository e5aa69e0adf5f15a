import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { parseSseText, readSse } from './sse.ts';

type Step = { delay: number; bytes: Buffer } | { destroy: true } | { hang: true };
const scripts = new Map<string, Step[]>();
let server: Server;
let base: string;

before(async () => {
  server = createServer(async (req, res) => {
    const steps = scripts.get(req.url ?? '') ?? [];
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    for (const step of steps) {
      if ('destroy' in step) {
        await new Promise((r) => setTimeout(r, 20));
        return req.socket.destroy();
      }
      if ('hang' in step) return;
      await new Promise((r) => setTimeout(r, step.delay));
      res.write(step.bytes);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const write = (text: string | Buffer, delay = 0): Step => ({ delay, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) });

test('reads events incrementally with their arrival times, comments and [DONE]', async () => {
  scripts.set('/basic', [write(': keep-alive\n\n'), write('data: {"a":1}\n\n', 5), write('data: {"a":2}\n\n', 40), write('data: [DONE]\n\n', 5)]);
  const res = await fetch(`${base}/basic`);
  const capture = await readSse(res.body);
  assert.equal(capture.end, 'eof');
  assert.deepEqual(capture.events.map((e) => e.data), ['{"a":1}', '{"a":2}', '[DONE]']);
  assert.deepEqual(capture.comments, ['keep-alive']);
  // the server waits before the second event: it comes in a later network read, at a later time
  // (no duration is asserted: a loaded machine only stretches the gap, and may shrink what is measured)
  assert.ok(capture.events[1].read > capture.events[0].read, 'the second event arrived in a later read');
  assert.ok(capture.events[1].atMs >= capture.events[0].atMs, 'and not before the first');
  assert.ok(capture.reads.length >= 3);
});

test('CRLF framing and a UTF-8 character split across network reads are parsed', async () => {
  const bytes = Buffer.from('data: {"t":"é"}\r\n\r\n');
  const cut = bytes.indexOf(0xc3) + 1;
  scripts.set('/crlf', [write(bytes.subarray(0, cut)), write(bytes.subarray(cut), 20)]);
  const capture = await readSse((await fetch(`${base}/crlf`)).body);
  assert.equal(capture.end, 'eof');
  assert.deepEqual(capture.events.map((e) => JSON.parse(e.data).t), ['é']);
});

test('invalid UTF-8 ends the read with a diagnostic instead of throwing', async () => {
  scripts.set('/bad-utf8', [write('data: {"a":1}\n\n'), write(Buffer.from([0x64, 0x61, 0xff, 0xfe, 0x0a, 0x0a]), 5)]);
  const capture = await readSse((await fetch(`${base}/bad-utf8`)).body);
  assert.equal(capture.end, 'invalid-utf8');
  assert.match(capture.endDetail ?? '', /invalid UTF-8/);
  assert.equal(capture.events.length, 1);
});

test('a stalled stream ends with idle-timeout after the events that did arrive', async () => {
  scripts.set('/stall', [write('data: 1\n\n'), { hang: true }]);
  const capture = await readSse((await fetch(`${base}/stall`)).body, { idleTimeoutMs: 150 });
  assert.equal(capture.end, 'idle-timeout');
  assert.match(capture.endDetail ?? '', /no bytes for 150 ms/);
  assert.equal(capture.events.length, 1);
});

test('a stream that never ends hits the deadline even while bytes keep coming', async () => {
  const steps: Step[] = Array.from({ length: 40 }, () => write(': ping\n\n', 20));
  scripts.set('/endless', steps);
  const capture = await readSse((await fetch(`${base}/endless`)).body, { idleTimeoutMs: 1000, deadlineMs: 200 });
  assert.equal(capture.end, 'deadline');
});

test('a reset connection ends with reset', async () => {
  scripts.set('/reset', [write('data: 1\n\n'), write('data: 2\n\n', 10), { destroy: true }]);
  const capture = await readSse((await fetch(`${base}/reset`)).body);
  assert.equal(capture.end, 'reset');
  assert.equal(capture.events.length, 2);
});

test('parseSseText parses complete text', () => {
  const { events, comments } = parseSseText(': hi\n\nevent: error\ndata: {"x":1}\n\ndata: [DONE]\n\n');
  assert.deepEqual(events, [{ data: '{"x":1}', event: 'error' }, { data: '[DONE]' }]);
  assert.deepEqual(comments, ['hi']);
});
