// Many streams at once, some clients leaving mid-stream (a small version of `npm run bench:mock --
// streams`): every client that stays gets its whole stream ending in [DONE], no errors, and once the
// crowd is gone the server holds no response open (the streams of the clients that left were stopped,
// their timers cleared). No timing assertion: the waits below only bound a hang.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMockServer, type RunningMockServer } from './standalone.ts';
import { concurrentStreams } from '../test-support/mock.ts';

let server: RunningMockServer;

before(async () => {
  server = await startMockServer({ port: 0, host: '127.0.0.1', quiet: true });
});
after(async () => {
  await server?.close();
});

test('200 concurrent streams with a chunk delay, 10% leaving after 3 events: the rest complete with [DONE], nothing stays open', async () => {
  const r = await concurrentStreams(server.url, { streams: 200, abortShare: 0.1, abortAfterEvents: 3, chunkDelayMs: 5 });
  assert.deepEqual(r.errors, []);
  assert.equal(r.aborted, 20);
  assert.equal(r.completed, 180);
  assert.equal(r.endedWithDone, 180);
  const deadline = Date.now() + 10_000;
  while (server.openResponses() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(server.openResponses(), 0, 'the streams of the clients that left were stopped');
});
