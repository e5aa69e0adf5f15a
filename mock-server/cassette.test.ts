// Cassettes: a run recorded through the pass-through recorder replays byte for byte, offline, by
// request; the key never reaches the file; a request the cassette does not hold gets a 501 envelope.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { redactText } from '../lib/redact.ts';
import { readCassette, startCassetteRecorder, startCassetteServer, WRONG_KEY } from './cassette.ts';
import { startMockServer, type RunningMockServer } from './standalone.ts';

const KEY = 'sk-cassette-canary-0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-cassette-'));
const file = path.join(dir, 'cassette.jsonl');
let mock: RunningMockServer;

before(async () => {
  mock = await startMockServer({ port: 0, speed: 0, requireKey: KEY, quiet: true });
});
after(async () => {
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

const chat = (stream: boolean) => JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16, stream });

async function exchange(base: string, key: string | undefined, body?: string) {
  const res = await fetch(`${base}/v1/${body ? 'chat/completions' : 'models'}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), date: res.headers.get('date'), text: await res.text() };
}

test('record a run through the recorder, replay it offline: the same status, content type and bytes', async () => {
  const recorder = await startCassetteRecorder({ target: mock.url, file });
  const asked: [string | undefined, string | undefined][] = [[KEY, chat(false)], [KEY, chat(true)], [KEY, undefined], [undefined, chat(false)], [WRONG_KEY, chat(false)]];
  const live = [];
  try {
    for (const [key, body] of asked) live.push(await exchange(recorder.url, key, body));
  } finally {
    await recorder.close();
  }
  assert.deepEqual(live.map((x) => x.status), [200, 200, 200, 401, 401]);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(KEY), 'the key never reaches the cassette');
  assert.deepEqual(readCassette(file).map((e) => e.request.auth), ['key', 'key', 'key', 'none', 'wrong']);

  const replay = await startCassetteServer({ file, speed: 0 });
  try {
    // any key stands for "a key": the cassette knows which kind of credentials came, not which key
    const again = [];
    for (const [key, body] of asked) again.push(await exchange(replay.url, key === KEY ? 'sk-any-other-key' : key, body));
    // what was written passed through the redaction (a "Bearer …" in a message is masked, too)
    // the Date header is the recorded one, not the day of the replay (`created` is judged against it)
    assert.deepEqual(again, live.map((x) => ({ ...x, text: redactText(x.text) })));
    assert.ok(readCassette(file).every((e) => e.response.headers.date !== undefined), 'the recorded Date header is kept');
    const miss = await exchange(replay.url, KEY, JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Something never asked.' }] }));
    assert.equal(miss.status, 501);
    assert.match(JSON.parse(miss.text).error.message, /no recorded exchange for POST \/v1\/chat\/completions/);
    assert.deepEqual(replay.misses, ['POST /v1/chat/completions']);
  } finally {
    await replay.close();
  }
});
