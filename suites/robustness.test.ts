// Robustness of the suite itself, against the standalone mock:
//  - when the endpoint hangs, drops the connection, stalls, sends invalid UTF-8, never ends, or is
//    slower than the timeout, a streaming check and a non-stream check each FAIL within their timeout
//    with a message naming what happened, and the next check still runs (and passes);
//  - our SSE reader (lib/sse.ts, through suites/runner/client.ts) reads legal-but-awkward streams:
//    comment lines, CRLF framing, UTF-8 characters split across network reads, events split anywhere
//    (recorded-style fixtures chosen with x-mock-scenario; GET /__mock/fixtures lists them).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadProfile, type RunConfig } from '../lib/config.ts';
import { findFixture } from '../lib/fixtures.ts';
import { startMockServer, type RunningMockServer } from '../mock-server/standalone.ts';
import { allChecks } from './checks/index.ts';
import { streamView } from './checks/support/stream-view.ts';
import type { Check } from './checks/types.ts';
import { send } from './runner/client.ts';
import { runCheck } from './runner/run-check.ts';
import { NO_DELAYS } from '../test-support/mock.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODEL = 'mock-gpt';
const REQUEST_MS = 2_500;
const IDLE_MS = 1_000;
/** scheduling slack on a shared machine */
/**
 * A check under a transport fault ends, bounded by its own timeouts: a hang would never end. The slack
 * is wide on purpose (a loaded machine runs timers late); it bounds, it does not time.
 */
const SLACK_MS = 15_000;

let server: RunningMockServer;
let base: RunConfig;

before(async () => {
  const key = `sk-oai-compat-robust-${randomBytes(8).toString('hex')}`;
  server = await startMockServer({ port: 0, host: '127.0.0.1', speed: 1, faults: [], requireKey: key, quiet: true });
  const profile = loadProfile(path.join(HERE, 'profiles', 'mock.yaml'));
  profile.timeouts = { request: REQUEST_MS, idle: IDLE_MS, check: 10_000 };
  base = { baseUrl: `${server.url}/v1`, apiKey: key, model: MODEL, profile, repeat: 1, reportDir: 'reports', mock: true, extraHeaders: {} };
});

after(async () => {
  await server?.close();
});

function check(id: string): Check {
  const c = allChecks.find((x) => x.id === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

const STREAM_CHECK = 'stream.done-sentinel';
const PLAIN_CHECK = 'core.completion.schema';

interface Case {
  fault: string;
  /** what the streaming check's message must say */
  stream: RegExp;
  /** what the non-stream check's message must say */
  plain: RegExp;
  /**
   * the request limit for this case (default REQUEST_MS). A stall must be told by the idle timeout:
   * with a deadline close to it, a loaded machine that delivers the first events late makes a stall
   * look like a slow stream still generating at the deadline, which the suite rightly calls inconclusive.
   */
  requestMs?: number;
  /** extra request headers (e.g. no synthesizer delays, so that the whole answer is there at once) */
  headers?: Record<string, string>;
}

const STALL_REQUEST_MS = 20_000;

const CASES: Case[] = [
  { fault: 'hang-after-headers', stream: /stream idle-timeout: no bytes for 1000 ms after 0 events/, plain: /body idle-timeout: no bytes for 1000 ms/, requestMs: STALL_REQUEST_MS },
  { fault: 'drop-after:2', stream: /stream reset: connection reset.* after 2 events/, plain: /body reset: connection reset/ },
  { fault: 'stall-after:2', stream: /stream idle-timeout: no bytes for 1000 ms after 2 events/, plain: /body idle-timeout: no bytes for 1000 ms/, requestMs: STALL_REQUEST_MS },
  { fault: 'invalid-utf8', stream: /stream invalid-utf8: invalid UTF-8 in the bytes ending at offset \d+/, plain: /body invalid-utf8: invalid UTF-8/ },
  // the whole answer at once, then keep-alive comments: a finished stream that never ends, not a slow one
  { fault: 'never-end', stream: /stream deadline: the body did not end within 2500 ms/, plain: /the body did not end within 2500 ms/, headers: NO_DELAYS },
  { fault: `slow-first-byte:${REQUEST_MS + 1_500}`, stream: /timeout: no response headers within 2500 ms/, plain: /timeout: no response headers within 2500 ms/ },
];

describe('transport faults: checks fail with a diagnostic, within their timeout, and the next check runs', { concurrency: true }, () => {
  for (const c of CASES) {
    for (const [kind, id, expected] of [
      ['streaming', STREAM_CHECK, c.stream],
      ['non-stream', PLAIN_CHECK, c.plain],
    ] as const) {
      test(`${c.fault}: ${kind} check ${id}`, async () => {
        const requestMs = c.requestMs ?? REQUEST_MS;
        const config: RunConfig = {
          ...base,
          profile: { ...base.profile, timeouts: { ...base.profile.timeouts, request: requestMs, check: requestMs + 10_000 } },
          extraHeaders: { 'x-mock-fault': c.fault, ...c.headers },
        };
        const started = performance.now();
        const r = await runCheck(check(id), config, MODEL);
        const took = performance.now() - started;
        assert.equal(r.verdict, 'FAIL', `expected FAIL under ${c.fault}, got ${r.verdict}: ${r.message}`);
        assert.match(r.message, expected, `the message does not say what happened: ${r.message}`);
        assert.ok(took <= requestMs + SLACK_MS, `took ${Math.round(took)} ms, more than the ${requestMs} ms request timeout (+${SLACK_MS} ms slack)`);
        // The next check still runs, against the same server, and passes.
        const next = await runCheck(check(id), base, MODEL);
        assert.equal(next.verdict, 'PASS', `the next run of ${id} did not pass: ${next.message}`);
      });
    }
  }
});

describe('our reader tolerates legal but awkward streams (fixtures via x-mock-scenario)', () => {
  const PROTOCOL_CHECKS = [
    'stream.framing',
    'stream.events-json',
    'stream.chunk.schema',
    'stream.first-delta-role',
    'stream.content-concatenates',
    'stream.finish-reason.once',
    'stream.finish-reason.last',
    'stream.done-sentinel',
    'stream.done-last',
  ];

  async function fixtureIds(): Promise<string[]> {
    const res = await fetch(`${server.url}/__mock/fixtures`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { fixtures: { id: string; stream: boolean; tags?: string[] }[] };
    return body.fixtures.filter((f) => f.stream && f.tags?.includes('framing')).map((f) => f.id);
  }

  for (const [what, pattern, judge] of [
    ['comment lines', /keep-alive|comment/, (x: Awaited<ReturnType<typeof send>>) => assert.ok((x.sse?.comments.length ?? 0) > 0, 'no comment line was read')],
    ['CRLF framing', /crlf/, (x: Awaited<ReturnType<typeof send>>) => assert.ok(x.text.includes('\r\n'), 'the body has no CRLF')],
    ['UTF-8 split across reads', /utf8/, (x: Awaited<ReturnType<typeof send>>) => assert.ok((x.sse?.reads.length ?? 0) > 1, 'the body came in one read')],
    ['events split anywhere', /split/, (x: Awaited<ReturnType<typeof send>>) => assert.ok((x.sse?.reads.length ?? 0) > 1, 'the body came in one read')],
  ] as const) {
    test(`${what}: assembled as the fixture expects, protocol checks pass`, async () => {
      const ids = (await fixtureIds()).filter((id) => pattern.test(id));
      assert.ok(ids.length > 0, `no framing stream fixture matches ${pattern}`);
      for (const id of ids) {
        const config: RunConfig = { ...base, extraHeaders: { 'x-mock-scenario': id } };
        const x = await send(config, { body: { messages: [{ role: 'user', content: 'Say hello.' }], stream: true } }, MODEL);
        assert.equal(x.error, undefined, `${id}: ${x.error}`);
        assert.equal(x.status, 200, `${id}: HTTP ${x.status}`);
        judge(x);
        const s = streamView(x);
        assert.deepEqual(s.unparsed, [], `${id}: unparsed events ${s.unparsed.join(', ')}`);
        const expected = findFixture(id)?.expect;
        if (expected && typeof expected.content === 'string') assert.equal(s.choices[0]?.content, expected.content, `${id}: assembled content`);
        if (expected?.finish_reason) assert.equal(s.choices[0]?.finishReasons.at(-1)?.value, expected.finish_reason, `${id}: finish_reason`);
        // a fixture that answers with tool calls has no text to concatenate
        const checks = typeof expected?.content === 'string' ? PROTOCOL_CHECKS : PROTOCOL_CHECKS.filter((c) => c !== 'stream.content-concatenates');
        for (const checkId of checks) {
          const r = await runCheck(check(checkId), config, MODEL);
          assert.equal(r.verdict, 'PASS', `${id}: ${checkId} ${r.verdict}: ${r.message}`);
        }
      }
    });
  }
});

test('provider quirk: Azure content-filter annotation chunks (object "", id "", created 0) are skipped', async () => {
  const id = 'azure-stream-content-filter';
  assert.ok(findFixture(id), `no fixture ${id}`);
  const config: RunConfig = { ...base, extraHeaders: { 'x-mock-scenario': id } };
  // every streaming check that judges the shared plain stream (the fixture answers whatever is asked)
  const checks = allChecks.filter((c) => c.capability === 'streaming' && c.level === 'MUST' && !('run' in c) && c.id !== 'stream.finish-length');
  assert.ok(checks.length >= 10);
  for (const c of checks) {
    const r = await runCheck(c, config, MODEL);
    assert.equal(r.verdict, 'PASS', `${c.id} ${r.verdict}: ${r.message}`);
  }
});
