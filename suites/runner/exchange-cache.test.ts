import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { registerSecret } from '../../lib/redact.ts';
import type { Exchange } from './client.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-cache-test-'));
process.env.OAI_COMPAT_CACHE_DIR = dir;
after(() => rmSync(dir, { recursive: true, force: true }));

// Two instances of the module stand for two workers (or a worker and its restart).
const worker = (name: string) => import(`./exchange-cache.ts?worker=${name}`) as Promise<typeof import('./exchange-cache.ts')>;
const workerA = await worker('a');
const workerB = await worker('b');

function exchange(text: string, extra: Partial<Exchange> = {}): Exchange {
  return {
    request: { method: 'POST', url: 'http://h/v1/chat/completions', headers: {} },
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    contentType: 'text/event-stream',
    text,
    timings: { totalMs: 1 },
    ...extra,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

test('an answer is sent once for every worker: the second worker reads it from disk, bytes intact', async () => {
  let sent = 0;
  const raw = new Uint8Array([0x64, 0x61, 0x74, 0x61, 0xe2, 0x98, 0x95]);
  const original = exchange('data: ☕', { sse: { events: [], comments: [], reads: [], raw, totalBytes: 7, end: 'eof', doneMs: 1, parseErrors: [] } });
  const a = await workerA.cachedExchange('k1', async () => (sent++, original));
  await settle();
  const b = await workerB.cachedExchange('k1', async () => (sent++, exchange('other')));
  assert.equal(sent, 1);
  assert.equal(a, original);
  assert.notEqual(b, original, 'a copy read from disk, not the object of the first worker');
  assert.equal(b.text, 'data: ☕');
  assert.ok(b.sse?.raw instanceof Uint8Array);
  assert.deepEqual([...b.sse!.raw], [...raw]);
});

test('a failed answer is kept too: every check that shares the request judges the same failure', async () => {
  let sent = 0;
  const failed = await workerA.cachedExchange('k2', async () => (sent++, { ...exchange(''), status: 0, error: 'connection refused' }));
  await settle();
  const again = await workerB.cachedExchange('k2', async () => (sent++, exchange('ok')));
  assert.equal(sent, 1);
  assert.equal(again.error, failed.error);
});

test('an answer carrying a secret never reaches the disk', async () => {
  registerSecret('canary-cache-0123456789');
  await workerA.cachedExchange('k3', async () => exchange('{"error":{"message":"bad key canary-cache-0123456789"}}'));
  await settle();
  let sent = 0;
  await workerB.cachedExchange('k3', async () => (sent++, exchange('again')));
  assert.equal(sent, 1, 'the second worker had to send it itself');
  assert.ok(readdirSync(dir).every((f) => f.endsWith('.json')));
});
