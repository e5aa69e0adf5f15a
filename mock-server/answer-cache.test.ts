// The fast path of answers without faults: the SSE text written without the event objects is the
// same as framing the objects, and a remembered answer is the first one with new ids and `created`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextTemplate } from './answer-cache.ts';
import { createEngine } from './engine.ts';
import { frameEvent } from './framing.ts';
import { IdSource } from './ids.ts';
import { renderEvents, renderEventTexts } from './render.ts';
import { synthesize } from './synth.ts';
import { chat, planChunks, planJson, planText } from '../test-support/mock.ts';

const weather = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } }, required: ['city', 'unit'] } },
};
const time = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } };

const REQUESTS: Record<string, unknown>[] = [
  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say "hello" with ünïcode 😀 and \\ backslashes' }] },
  { model: 'mock-reasoner', messages: [{ role: 'user', content: 'Think first.' }], n: 2, logprobs: true, top_logprobs: 2, stream_options: { include_usage: true } },
  { model: 'qwen-plus', messages: [{ role: 'user', content: 'What is the weather and the time?' }], tools: [weather, time], tool_choice: 'required' },
  { model: 'm', messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { id: { const: 'chatcmpl-fake' }, created: { type: 'integer' } }, required: ['id', 'created'] } } } },
];

describe('answers without faults', () => {
  it('renderEventTexts writes exactly what framing the event objects writes', () => {
    for (const req of REQUESTS) {
      const a = synthesize({ ...req, stream: true }, { ids: new IdSource('x'), now: () => 1_700_000_000_000 });
      assert.equal(renderEventTexts(a).join(''), renderEvents(a).map(frameEvent).join(''), JSON.stringify(req));
    }
  });

  it('the same request again: the same answer with a new id, created and tool call ids (JSON and stream)', () => {
    let clock = 1_700_000_000_000;
    const engine = createEngine({ fixtures: [], speed: 0, idSeed: 'seed', now: () => (clock += 7_000) });
    for (const req of REQUESTS) {
      for (const stream of [false, true]) {
        const body = { ...req, ...(stream ? { stream: true } : { stream_options: undefined }) };
        const answers = [chat(engine, body), chat(engine, body), chat(engine, body)];
        for (const plan of answers) assert.equal(plan.status, 200, planText(plan));
        const ids = answers.map((p) => (stream ? planChunks(p)[0].id : planJson(p).id));
        assert.equal(new Set(ids).size, 3, 'a new completion id each time');
        const created = answers.map((p) => (stream ? planChunks(p)[0].created : planJson(p).created));
        assert.ok(created[0] < created[1] && created[1] < created[2], 'created is the time of each answer');
        const callIds = answers.flatMap((p) => (stream ? planChunks(p).flatMap((c) => c.choices.flatMap((ch: any) => (ch.delta.tool_calls ?? []).map((t: any) => t.id).filter(Boolean))) : planJson(p).choices.flatMap((c: any) => (c.message.tool_calls ?? []).map((t: any) => t.id))));
        assert.equal(new Set(callIds).size, callIds.length, 'tool call ids are never reused');
        // apart from those values, the same bytes
        const normalized = answers.map((p, i) => {
          let text = planText(p).split(ids[i]).join('ID').split(`"created":${created[i]}`).join('"created":T');
          for (const id of callIds) text = text.split(id).join('CALL');
          return text;
        });
        assert.equal(normalized[1], normalized[0], `${JSON.stringify(req)} stream=${stream}`);
        assert.equal(normalized[2], normalized[0]);
      }
    }
  });

  it('timing headers still cut a remembered stream into one write per event, with the delays', () => {
    const engine = createEngine({ fixtures: [], speed: 0 });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'time me' }], stream: true };
    chat(engine, body);
    const plan = chat(engine, body, { 'x-mock-ttft-ms': '30', 'x-mock-chunk-delay-ms': '4' });
    const events = plan.writes.filter((w) => w.bytes.byteLength > 0);
    assert.equal(events.length, planChunks(plan).length + 1, 'one write per event, [DONE] included');
    assert.deepEqual([events[0].delayMs, events[1].delayMs], [30, 4]);
  });

  it('a template only takes the values it was told about', () => {
    const values = { id: 'chatcmpl-abc', created: 123, callIds: ['call_1'] };
    const text = '{"id":"chatcmpl-abc","created":123,"x":[{"id":"call_1"}],"content":"\\"id\\":\\"chatcmpl-abc\\""}';
    const t = TextTemplate.of(text, values)!;
    const filled = t.fill({ id: 'chatcmpl-new', created: 456, callIds: ['call_2'] })!;
    assert.equal(Buffer.from(filled).toString(), '{"id":"chatcmpl-new","created":456,"x":[{"id":"call_2"}],"content":"\\"id\\":\\"chatcmpl-abc\\""}');
    assert.equal(t.fill({ id: 'chatcmpl-longer', created: 456, callIds: ['call_2'] }), undefined, 'a value of another length does not fit');
    assert.equal(TextTemplate.of('{"id":"other"}', values), undefined);
  });
});
