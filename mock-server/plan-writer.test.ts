// The plan writer on its own, against a sink that records what it is given, with node:test's mock
// timers (no real waiting, nothing depends on the machine's speed): runs of writes, delays, the three
// endings, the heartbeat, and stopping.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { writePlan, type PlanSink } from './plan-writer.ts';
import type { PlanEnding, ResponsePlan } from './types.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a sink was given, in order: `text|last` for a send, `reset` for a reset. */
function recordingSink(): PlanSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    send: (bytes, last) => void calls.push(`${decoder.decode(bytes)}${last ? '|last' : ''}`),
    reset: () => void calls.push('reset'),
  };
}

function plan(writes: [number, string][], ending: PlanEnding = 'end', heartbeat?: { everyMs: number; text: string }): ResponsePlan {
  return {
    status: 200,
    headers: {},
    writes: writes.map(([delayMs, text]) => ({ delayMs, bytes: encoder.encode(text) })),
    ending,
    scenario: 'test',
    faults: [],
    ...(heartbeat ? { heartbeat: { everyMs: heartbeat.everyMs, bytes: encoder.encode(heartbeat.text) } } : {}),
  };
}

function fakeTime(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  return (ms: number) => t.mock.timers.tick(ms);
}

test('a whole body without delays: one send, at once, that ends the body', (t) => {
  fakeTime(t);
  const sink = recordingSink();
  writePlan(plan([[0, 'a'], [0, 'b'], [0, 'c']]), sink);
  assert.deepEqual(sink.calls, ['abc|last']);
  const empty = recordingSink();
  writePlan(plan([]), empty);
  assert.deepEqual(empty.calls, ['|last'], 'no writes: the headers and an empty body');
});

test('writes without a delay between them go out as one run; each delay is waited for', (t) => {
  const tick = fakeTime(t);
  const sink = recordingSink();
  writePlan(plan([[0, ''], [20, 'a'], [0, 'b'], [5, 'c']]), sink);
  assert.deepEqual(sink.calls, [''], 'the empty first write sends the headers at once');
  tick(19);
  assert.deepEqual(sink.calls, ['']);
  tick(1);
  assert.deepEqual(sink.calls, ['', 'ab']);
  tick(5);
  assert.deepEqual(sink.calls, ['', 'ab', 'c|last']);
});

test("the first write's delay holds back the headers", (t) => {
  const tick = fakeTime(t);
  const sink = recordingSink();
  writePlan(plan([[10, 'a'], [0, 'b']]), sink);
  assert.deepEqual(sink.calls, []);
  tick(10);
  assert.deepEqual(sink.calls, ['ab|last']);
});

test('destroy: the writes, then a reset; with no writes a reset instead of any response', (t) => {
  const tick = fakeTime(t);
  const sink = recordingSink();
  writePlan(plan([[0, 'a'], [5, 'b']], 'destroy'), sink);
  assert.deepEqual(sink.calls, ['a']);
  tick(5);
  assert.deepEqual(sink.calls, ['a', 'b', 'reset']);
  const none = recordingSink();
  writePlan(plan([], 'destroy'), none);
  assert.deepEqual(none.calls, ['reset']);
});

test('hang: nothing after the writes; with a heartbeat, the beats until stopped', (t) => {
  const tick = fakeTime(t);
  const quiet = recordingSink();
  writePlan(plan([[0, 'a']], 'hang'), quiet);
  tick(10_000);
  assert.deepEqual(quiet.calls, ['a']);

  const beating = recordingSink();
  const stop = writePlan(plan([], 'hang', { everyMs: 100, text: ':\n\n' }), beating);
  assert.deepEqual(beating.calls, [''], 'the headers go out before the first beat');
  tick(250);
  assert.deepEqual(beating.calls, ['', ':\n\n', ':\n\n']);
  stop();
  tick(1000);
  assert.equal(beating.calls.length, 3, 'stopped: no more beats');
});

test('stop: nothing more is sent once stopped', (t) => {
  const tick = fakeTime(t);
  const sink = recordingSink();
  const stop = writePlan(plan([[0, 'a'], [10, 'b'], [10, 'c']]), sink);
  tick(10);
  stop();
  tick(100);
  assert.deepEqual(sink.calls, ['a', 'b']);
});
