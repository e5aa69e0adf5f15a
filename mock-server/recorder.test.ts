// The recorder against the standalone mock itself: replay mode, proxy mode (through the real SDK),
// secrets, and interrupted recordings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { assembleStream } from '../lib/assemble.ts';
import { clearFixtureCache, findFixture, fixtureBodyBytes, loadFixtureFile, loadFixtures } from '../lib/fixtures.ts';
import { parseSseText } from '../lib/sse.ts';
import { buildFixture, writeFixtureAtomic, writesFromReads } from './recorded-fixture.ts';
import { recordOnce, type RecordOnceOptions } from './recorder.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { startMockServer } from './standalone.ts';

type Server = Awaited<ReturnType<typeof startMockServer>>;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CANARY = `sk-canary-${randomBytes(16).toString('hex')}`;

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'recorder-test-'));
}

async function readAll(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

/** Record what `server` answers to a fixture's own request, that fixture picked by x-mock-scenario. */
function recordScenario(server: Server, id: string, out: string, more: Partial<RecordOnceOptions> = {}) {
  return recordOnce({ target: `${server.url}/v1`, apiKey: CANARY, headers: { 'x-mock-scenario': id }, request: findFixture(id)!.request, out, ...more });
}

function assertNoCanary(file: string) {
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(CANARY), `${file} contains the API key`);
  assert.ok(!text.includes(CANARY.slice(10)), `${file} contains part of the API key`);
  assert.ok(!/authorization|api-key|cookie|openai-organization|openai-project/i.test(text.replace(/"?api-key"?: \[redacted\]/g, '')), `${file} names a credential header`);
}

describe('recorder', () => {
  let mock: Server;
  let slow: Server;
  const dirs: string[] = [];
  const newDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  before(async () => {
    // the mock requires the canary key, so a recording only works if the key is really sent
    mock = await startMockServer({ port: 0, host: '127.0.0.1', speed: 1, requireKey: CANARY, quiet: true });
    slow = await startMockServer({ port: 0, host: '127.0.0.1', speed: 10, requireKey: CANARY, quiet: true });
  });
  after(async () => {
    await mock?.close();
    await slow?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('replay mode: a recorded stream, replayed by the mock, gives the original bytes', async () => {
    const original = findFixture('stream-tool-call-split-escape-utf8')!;
    const dir = newDir();
    const { file, fixture } = await recordScenario(mock, original.id, path.join(dir, 'recorded', 'split-utf8-recorded'), { now: () => new Date('2026-11-23T12:00:00Z') });
    assert.equal(path.basename(file), 'split-utf8-recorded.yaml');
    assertNoCanary(file);
    const loaded = loadFixtureFile(file);
    assert.deepEqual(loaded, JSON.parse(JSON.stringify(fixture)));
    assert.equal(loaded.source.kind, 'recorded');
    assert.equal(loaded.source.from, `127.0.0.1:${mock.port}`);
    assert.equal(loaded.source.at, '2026-11-23T12:00:00.000Z');
    assert.equal(loaded.response.headers['content-type'], original.response.headers['content-type']);
    assert.equal(loaded.response.headers['x-request-id'], original.response.headers['x-request-id']);
    // the exact bytes, whatever the reads were
    assert.deepEqual(Buffer.from(fixtureBodyBytes(loaded)), Buffer.from(fixtureBodyBytes(original)));
    // every read that ended inside a UTF-8 character became base64, the others stayed text
    for (const w of loaded.response.writes!) {
      if ('data' in w) assert.equal(Buffer.from(w.data, 'utf8').toString('utf8'), w.data);
    }
    assert.ok(loaded.response.writes!.length > 1, 'the stream arrived in several reads');
    assert.ok(loaded.response.writes![0].delay > 0, 'delays are kept');
    assert.deepEqual(loaded.expect, original.expect);

    // replay the recording with a new mock: the bytes equal the original fixture's
    const replayer = await startMockServer({ port: 0, host: '127.0.0.1', speed: 0, quiet: true, fixtures: [loaded] });
    try {
      const res = await fetch(`${replayer.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x', 'x-mock-scenario': loaded.id },
        body: JSON.stringify(loaded.request),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(Buffer.from(await readAll(res)), Buffer.from(fixtureBodyBytes(original)));
    } finally {
      await replayer.close();
    }
  });

  test('replay mode: non-stream and error answers keep body, status and interesting headers', async () => {
    const dir = newDir();
    const ok = await recordScenario(mock, 'tool-call', path.join(dir, 'tool-call-recorded'));
    assert.deepEqual(ok.fixture.response.body, findFixture('tool-call')!.response.body);
    assert.deepEqual(ok.fixture.expect, findFixture('tool-call')!.expect);

    const limited = await recordScenario(mock, 'error-429-rate-limit', path.join(dir, 'rate-limited'));
    const h = limited.fixture.response.headers;
    assert.equal(limited.fixture.response.status, 429);
    assert.equal(h['retry-after'], '20');
    assert.equal(h['x-ratelimit-remaining-requests'], '0');
    assert.equal(h['content-length'], undefined, 'uninteresting headers are dropped');
    assert.deepEqual(limited.fixture.expect, findFixture('error-429-rate-limit')!.expect);
    for (const f of [ok.file, limited.file]) assertNoCanary(f);
    // the recorded directory loads as fixtures
    clearFixtureCache(dir);
    assert.deepEqual(
      loadFixtures(dir).map((f) => f.id),
      ['rate-limited', 'tool-call-recorded'],
    );
    clearFixtureCache(dir);
  });

  test('the API key never reaches the file, even when the request or the answer contain it', async () => {
    const dir = newDir();
    const request = {
      model: 'mock-gpt',
      user: 'user-4821',
      metadata: { note: `key is ${CANARY}` },
      messages: [{ role: 'user', content: `Please repeat this: ${CANARY}` }],
    };
    // the default synthesizer answers; whatever it echoes is redacted
    const { file, fixture } = await recordOnce({ target: `${mock.url}/v1`, apiKey: CANARY, request, out: path.join(dir, 'canary') });
    assertNoCanary(file);
    assert.equal(fixture.response.status, 200);
    assert.equal(fixture.request.user, 'user-4821', 'the user field is kept');
    assert.match(readFileSync(file, 'utf8'), /\[redacted\]/);

    // Azure-style auth (api-key header) through a wrong key: a 401, still no key in the file
    const denied = await recordOnce({ target: `${mock.url}/v1`, apiKey: `${CANARY}-wrong`, auth: 'azure', request, out: path.join(dir, 'denied') });
    assert.equal(denied.fixture.response.status, 401);
    assert.equal(denied.fixture.expect?.error?.status, 401);
    assertNoCanary(denied.file);

    // a secret split across two reads is still caught (the body is re-cut at event boundaries)
    const event = (s: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: s } }] })}\n\n`;
    const whole = Buffer.from(event(`my key ${CANARY}`) + 'data: [DONE]\n\n');
    const cut = whole.indexOf(CANARY) + 12;
    const writes = writesFromReads([
      { delay: 5, bytes: whole.subarray(0, cut) },
      { delay: 5, bytes: whole.subarray(cut) },
    ]);
    const joined = writes.map((w) => ('data' in w ? w.data : Buffer.from(w.base64, 'base64').toString())).join('');
    assert.ok(!joined.includes(CANARY.slice(0, 12)), 'no piece of the key survives');
    assert.ok(!joined.includes(CANARY.slice(12)), 'no piece of the key survives');
    assert.equal(parseSseText(joined).events.length, 2);
  });

  test('proxy mode: a real client records through the proxy, stream and non-stream', async () => {
    const dir = newDir();
    const written: string[] = [];
    const proxy = await startRecordingProxy({ target: `${mock.url}/v1`, out: path.join(dir, 'proxied'), onRecord: (e) => e.file && written.push(e.file) });
    try {
      const client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CANARY, maxRetries: 0 });
      const streamFixture = findFixture('stream-text')!;
      const params = { ...streamFixture.request, stream: true } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
      const stream = await client.chat.completions.create(params, { headers: { 'x-mock-scenario': 'stream-text' } });
      const chunks: { data: string }[] = [];
      for await (const chunk of stream) chunks.push({ data: JSON.stringify(chunk) });
      assert.deepEqual(assembleStream(chunks), streamFixture.expect, 'the client got the answer through the proxy');

      const plainParams = findFixture('text-basic')!.request as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
      const plain = await client.chat.completions.create(plainParams, { headers: { 'x-mock-scenario': 'text-basic' } });
      assert.equal(plain.choices[0].message.content, 'Bonjour !');

      // other endpoints pass through without being recorded
      const models = await client.models.list();
      assert.ok(models.data.length > 0);
    } finally {
      await proxy.close();
    }
    assert.deepEqual(
      proxy.files.map((f) => path.basename(f)),
      ['proxied-001.yaml', 'proxied-002.yaml'],
    );
    assert.deepEqual(written, proxy.files);
    for (const f of proxy.files) assertNoCanary(f);
    clearFixtureCache(dir);
    const [streamed, plain] = loadFixtures(dir);
    clearFixtureCache(dir);
    assert.equal(streamed.source.kind, 'recorded');
    assert.match(streamed.source.notes ?? '', /proxy mode/);
    assert.deepEqual(Buffer.from(fixtureBodyBytes(streamed)), Buffer.from(fixtureBodyBytes(findFixture('stream-text')!)));
    assert.deepEqual(streamed.expect, findFixture('stream-text')!.expect);
    assert.deepEqual(plain.expect, findFixture('text-basic')!.expect);
  });

  test('an interrupted recording leaves no file (replay mode, aborted mid-stream)', async () => {
    const dir = newDir();
    const out = path.join(dir, 'recorded', 'aborted');
    const controller = new AbortController();
    const started = performance.now();
    let firstByte = false;
    // speed 10: stream-text takes about 2.5 s; abort after the first bytes arrived
    const recording = recordScenario(slow, 'stream-text', out, { signal: controller.signal });
    setTimeout(() => {
      firstByte = true;
      controller.abort();
    }, 500);
    await assert.rejects(recording);
    assert.ok(firstByte && performance.now() - started < 2000, 'aborted mid-stream');
    assert.ok(!existsSync(`${out}.yaml`));
    const left = existsSync(path.dirname(out)) ? readdirSync(path.dirname(out)) : [];
    assert.deepEqual(left, [], 'no temp file either');
  });

  test('an interrupted recording leaves no file (proxy mode, the client goes away)', async () => {
    const dir = newDir();
    // speed 1: stream-text ends about 250 ms after it starts; the client leaves after the first read,
    // and the directory is checked well after the upstream answer would have ended, before close()
    const proxy = await startRecordingProxy({ target: `${mock.url}/v1`, apiKey: CANARY, out: path.join(dir, 'gone') });
    try {
      const controller = new AbortController();
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mock-scenario': 'stream-text' },
        body: JSON.stringify(findFixture('stream-text')!.request),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const first = await reader.read(); // the stream started
      assert.ok(!first.done && first.value.byteLength > 0);
      controller.abort();
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(proxy.files, []);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await proxy.close();
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  test('writeFixtureAtomic refuses an invalid fixture or one that holds a secret, leaving nothing', () => {
    const dir = newDir();
    const fixture = buildFixture({
      id: 'atomic',
      target: 'https://user:pass@api.example.com/v1?api-key=abc',
      request: { model: 'm', messages: [] },
      capture: { status: 200, headers: { 'content-type': 'application/json' }, reads: [{ delay: 3, bytes: Buffer.from('{"choices":[]}') }] },
      at: new Date('2026-11-23T00:00:00Z'),
      mode: 'replay',
    });
    assert.equal(fixture.source.from, 'api.example.com');
    assert.ok(!JSON.stringify(fixture).includes('pass'), 'no credentials from the target URL');
    assert.throws(() => writeFixtureAtomic(path.join(dir, 'other-name.yaml'), fixture), /id/);
    const leaky = { ...fixture, title: 'Bearer abcdefghijklmnop' };
    assert.throws(() => writeFixtureAtomic(path.join(dir, 'atomic.yaml'), leaky), /secret/);
    assert.deepEqual(readdirSync(dir), []);
    writeFixtureAtomic(path.join(dir, 'atomic.yaml'), fixture);
    assert.deepEqual(readdirSync(dir), ['atomic.yaml']);
  });

  test('the CLI records in replay mode with the key from API_KEY', async () => {
    const dir = newDir();
    const requestFile = path.join(dir, 'request.json');
    writeFileSync(requestFile, JSON.stringify(findFixture('stream-include-usage')!.request));
    const out = path.join(dir, 'cli-recorded');
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'mock-server/record-cli.ts', '--target', `${mock.url}/v1`, '--out', out, '--request', requestFile, '--header', 'x-mock-scenario: stream-include-usage'],
        { cwd: REPO, env: { ...process.env, API_KEY: CANARY }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /wrote .*cli-recorded\.yaml \(HTTP 200, stream/);
    assertNoCanary(`${out}.yaml`);
    assert.deepEqual(loadFixtureFile(`${out}.yaml`).expect, findFixture('stream-include-usage')!.expect);
  });
});
