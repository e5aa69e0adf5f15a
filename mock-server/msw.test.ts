// msw in-process: setupMockServer intercepts fetch to its origin (streams included) and lets every
// other request through; faults reach the client as network errors.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assembleStream } from '../lib/assemble.ts';
import { loadFixtures } from '../lib/fixtures.ts';
import { readSse } from '../lib/sse.ts';
import { validate } from '../lib/validate.ts';
import { setupMockServer, type MockServerInProcess } from './msw.ts';

describe('setupMockServer (msw/node)', () => {
  let mock: MockServerInProcess;
  before(() => {
    mock = setupMockServer({ fixtures: loadFixtures(), speed: 0, requireKey: 'sk-in-process-123456' });
    mock.listen();
  });
  after(() => mock.close());
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-in-process-123456' };
  const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Hello msw' }], ...extra });

  it('answers fetch to its origin', async () => {
    assert.equal(mock.baseUrl, 'https://mock.oai-compat.local/v1');
    const res = await fetch(`${mock.baseUrl}/chat/completions`, { method: 'POST', headers, body: body() });
    assert.equal(res.status, 200);
    const json = await res.json();
    assert.ok(validate('chat-completion', json).ok);
    assert.match(json.choices[0].message.content, /Hello msw/);
    const models = await (await fetch(`${mock.baseUrl}/models`, { headers })).json();
    assert.equal(models.data[0].id, 'mock-gpt');
  });

  it('streams, refuses, and 404s like the server', async () => {
    const res = await fetch(`${mock.baseUrl}/chat/completions`, { method: 'POST', headers, body: body({ stream: true }) });
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const sse = await readSse(res.body, { idleTimeoutMs: 2000 });
    assert.equal(sse.end, 'eof');
    assert.match(assembleStream(sse.events).content ?? '', /Hello msw/);
    const denied = await fetch(`${mock.baseUrl}/chat/completions`, { method: 'POST', body: body() });
    assert.equal(denied.status, 401);
    assert.equal((await denied.json()).error.code, 'invalid_api_key');
    const nowhere = await fetch(`${mock.origin}/v1/embeddings`, { method: 'POST', headers, body: '{}' });
    assert.equal(nowhere.status, 404);
    await nowhere.text();
  });

  it('faults: drop-after breaks the body, reset fails the fetch', async () => {
    const res = await fetch(`${mock.baseUrl}/chat/completions`, { method: 'POST', headers: { ...headers, 'x-mock-fault': 'drop-after:2' }, body: body({ stream: true }) });
    const sse = await readSse(res.body, { idleTimeoutMs: 2000 });
    assert.equal(sse.events.length, 2);
    assert.notEqual(sse.end, 'eof');
    await assert.rejects(fetch(`${mock.baseUrl}/chat/completions`, { method: 'POST', headers: { ...headers, 'x-mock-fault': 'reset' }, body: body() }));
  });

  it('lets requests to other origins through', async () => {
    const other = createServer((_req, res) => res.end('real server'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (other.address() as { port: number }).port;
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', body: '{}' })).text(), 'real server');
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});
