// The stream accumulator on its own: positions and timings, the tool-call index rule, what it skips.
// (assembleStream/assembleCompletion are tested against every fixture in lib/fixtures.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accumulateStream, assembleCompletion, assembleStream } from './assemble.ts';

const ev = (o: unknown, atMs?: number) => ({ data: JSON.stringify(o), ...(atMs === undefined ? {} : { atMs }) });
const delta = (d: object, extra: object = {}) => ev({ choices: [{ index: 0, delta: d, ...extra }] });

test('every piece keeps the position and the arrival time of its event', () => {
  const acc = accumulateStream([
    ev({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }, 5),
    ev({ choices: [{ index: 0, delta: { reasoning_content: 'think' } }] }, 9),
    ev({ choices: [{ index: 0, delta: { content: 'Hi' }, logprobs: { content: [] } }] }, 12),
    ev({ choices: [{ index: 0, delta: { content: '!' } }] }, 20),
    ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, 21),
    ev({ choices: [{ index: 0, delta: { content: ' late' } }] }, 30),
  ]);
  const c = acc.choices[0];
  assert.deepEqual(c.roles, [{ event: 0, atMs: 5, value: 'assistant' }]);
  assert.deepEqual(c.reasoningPieces, [{ event: 1, atMs: 9, text: 'think', field: 'reasoning_content' }]);
  assert.deepEqual(c.contentPieces.map((p) => [p.event, p.atMs, p.text]), [[2, 12, 'Hi'], [3, 20, '!'], [5, 30, ' late']]);
  assert.deepEqual(c.logprobs.map((l) => l.event), [2]);
  assert.deepEqual(c.contentWithoutLogprobs, [3, 5]);
  assert.deepEqual(c.finishReasons, [{ event: 4, atMs: 21, value: 'stop' }]);
  assert.deepEqual([c.firstEvent, c.lastEvent, c.payloadAfterFinish], [0, 5, [5]]);
});

test('one rule for tool-call fragments: by index; without one, a new id is a new call, else the last call', () => {
  const acc = accumulateStream([
    delta({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{' } }] }),
    delta({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }] }),
    delta({ tool_calls: [{ function: { arguments: '}' } }] }),
    delta({ tool_calls: [{ id: 'c', function: { name: 'h', arguments: '[]' } }] }),
    delta({ tool_calls: [null] }),
  ]);
  const c = acc.choices[0];
  assert.deepEqual(
    c.toolFragments.map((f) => [f.event, f.index, f.call]),
    [[0, 1, 1], [1, 0, 0], [2, undefined, 0], [3, undefined, 2], [4, undefined, undefined]],
  );
  assert.deepEqual(
    c.toolCalls.map((t) => [t.index, t.id, t.name, t.arguments, t.fragments.length]),
    [[0, 'a', 'f', '{}}', 2], [1, 'b', 'g', '{', 1], [2, 'c', 'h', '[]', 1]],
  );
});

test('choices without an integer index are choice 0 and noted; annotation chunks and error events carry no choice', () => {
  const acc = accumulateStream([
    ev({ object: '', choices: [{ index: 3, delta: { content: 'filter' } }], usage: { prompt_tokens: 1 } }),
    ev({ choices: [{ delta: { content: 'A' } }] }),
    { data: 'not json' },
    ev([1, 2]),
    ev({ error: { message: 'boom' } }),
    ev({ choices: [{ index: 0, delta: { content: 'B' } }] }),
  ]);
  assert.deepEqual(acc.annotations, [0]);
  assert.deepEqual(acc.usageChunks.map((u) => u.event), [0]);
  assert.deepEqual(acc.choiceWithoutIndex, [1]);
  assert.deepEqual(acc.unparsed, [{ event: 2, reason: 'not JSON' }, { event: 3, reason: 'not a JSON object' }]);
  assert.equal(acc.error?.event, 4);
  assert.deepEqual(acc.choices.map((c) => [c.index, c.content]), [[0, 'AB']]);
  assert.equal(accumulateStream([ev({ error: 'x' }), delta({ content: 'B' })], { stopAtError: true }).choices.length, 0);
});

test('a completion assembles as the stream of its messages does', () => {
  const calls = [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }];
  const whole = assembleCompletion({ choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: calls }, finish_reason: 'tool_calls' }] });
  const streamed = assembleStream([delta({ role: 'assistant', tool_calls: [{ index: 0, ...calls[0] }] }), delta({}, { finish_reason: 'tool_calls' })]);
  assert.deepEqual(whole, streamed);
  assert.deepEqual(whole, { content: null, tool_calls: [{ id: 'call_1', name: 'f', arguments: { a: 1 } }], finish_reason: 'tool_calls' });
});
