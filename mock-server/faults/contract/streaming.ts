// Faults for suites/checks/streaming.ts: the SSE framing, chunk shape and consistency, the
// role/content/finish_reason protocol, [DONE], delivery and the finishes a client must see.
import { contextOverflow } from '../../request-checks.ts';
import { concatBytes, errorBody, isEventStream, utf8 } from '../../respond.ts';
import type { Chunk, StreamEvent } from '../../types.ts';
import { choicesIn, eventWrites, finishIndex, isChunk, isObject, mapWriteText, onChunks, without, type ContractFault } from './helpers.ts';

function pauseParam(value: string): string | null {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 600_000 ? null : 'expected milliseconds, an integer from 0 to 600000';
}

/** A choice entry's content delta, when it carries text. */
function text(choice: Record<string, any> | undefined): string | undefined {
  const c = choice?.delta?.content;
  return typeof c === 'string' && c !== '' ? c : undefined;
}

/** An events hook that rewrites the stream around its first finish chunk (a stream without one is left alone). */
function aroundFinish(edit: (events: StreamEvent[], at: number, chunk: Chunk) => StreamEvent[]): ContractFault['events'] {
  return (events) => {
    const at = finishIndex(events);
    return at < 0 ? events : edit(events, at, (events[at] as { chunk: Chunk }).chunk);
  };
}

/** Every streamed finish_reason `from` becomes `to`. */
function finishAs(from: string, to: string): ContractFault['events'] {
  return (events) => onChunks(events, (chunks) => choicesIn(chunks).forEach((c) => c.finish_reason === from && (c.finish_reason = to)));
}

export const streamingFaults: ContractFault[] = [
  {
    id: 'stream.framing-junk-line',
    description: 'a line that is not an SSE field ({"debug": …} without "data:") is written after the first event',
    plan: (plan) => {
      const at = isEventStream(plan.headers) ? eventWrites(plan)[0] : undefined;
      if (at === undefined) return plan;
      const writes = [...plan.writes];
      writes.splice(at + 1, 0, { delayMs: 0, bytes: utf8('{"debug": "queue=0 tokens=1"}\n\n') });
      return { ...plan, writes };
    },
  },
  {
    id: 'stream.event-field',
    description: 'every event is named with an "event: completion.chunk" line',
    plan: (plan) => (isEventStream(plan.headers) ? mapWriteText(plan, (t) => (t.startsWith('data:') ? `event: completion.chunk\n${t}` : t)) : plan),
  },
  {
    id: 'stream.event-not-json',
    description: 'one content event in the middle of the stream carries truncated JSON',
    alsoBreaks: ['stream.chunk.schema'],
    events: (events) => {
      const content = events.flatMap((e, i) => (isChunk(e) && text(e.chunk.choices?.[0]) ? [i] : []));
      const at = content[Math.floor(content.length / 2)];
      if (at === undefined) return events;
      const out = [...events];
      const json = JSON.stringify((events[at] as { chunk: Chunk }).chunk);
      out[at] = { kind: 'data', data: json.slice(0, Math.max(1, json.length - 12)) };
      return out;
    },
  },
  {
    id: 'stream.chunk-schema-broken',
    description: 'the finish chunk has no delta (choices[0] carries only index and finish_reason)',
    events: aroundFinish((events, at, chunk) => events.with(at, { kind: 'chunk', chunk: { ...chunk, choices: chunk.choices.map(({ delta: _d, ...rest }: Record<string, any>) => rest) } })),
  },
  {
    id: 'stream.object-wrong',
    description: 'chunks carry object "chat.completion" instead of "chat.completion.chunk"',
    alsoBreaks: ['stream.chunk.schema'],
    events: (events) => onChunks(events, (chunks) => chunks.forEach((c) => (c.object = 'chat.completion'))),
  },
  {
    id: 'stream.id-changes',
    description: 'every chunk after the first carries a new id',
    events: (events) => onChunks(events, (chunks) => chunks.forEach((c, i) => i > 0 && (c.id = `${c.id}-${i}`))),
  },
  {
    id: 'stream.created-changes',
    description: 'created is stamped per chunk and changes during the stream',
    events: (events) => onChunks(events, (chunks) => chunks.forEach((c, i) => (c.created += Math.floor(i / 3)))),
  },
  {
    id: 'stream.model-changes',
    description: 'the first chunk names the requested model, later chunks the resolved snapshot',
    events: (events) => onChunks(events, (chunks) => chunks.forEach((c, i) => i > 0 && (c.model = `${c.model}-2024-01-01`))),
  },
  {
    id: 'stream.created-ms',
    description: 'chunks carry created in milliseconds',
    events: (events) => onChunks(events, (chunks) => chunks.forEach((c) => (c.created = c.created * 1000 + 123))),
  },
  {
    id: 'stream.no-role',
    description: 'no delta carries role "assistant"',
    events: (events) => onChunks(events, (chunks) => choicesIn(chunks).forEach((c) => isObject(c.delta) && delete c.delta.role)),
  },
  {
    id: 'stream.empty-content',
    description: 'every content delta is an empty string (the text is lost)',
    events: (events) => onChunks(events, (chunks) => choicesIn(chunks).forEach((c) => isObject(c.delta) && typeof c.delta.content === 'string' && (c.delta.content = ''))),
  },
  {
    id: 'stream.no-finish-reason',
    description: 'no chunk carries a finish_reason (the stream just ends)',
    alsoBreaks: ['stream.finish-length', 'stream.finish-stop', 'stream.stop-sequence'],
    events: (events) => onChunks(events, (chunks) => choicesIn(chunks).forEach((c) => c.finish_reason != null && (c.finish_reason = null))),
  },
  {
    id: 'stream.content-after-finish',
    description: 'a content chunk follows the finish_reason chunk of choice 0',
    events: aroundFinish((events, at, chunk) => {
      const extra: Chunk = { ...chunk, choices: [{ index: chunk.choices[0]?.index ?? 0, delta: { content: ' (continued)' }, logprobs: null, finish_reason: null }] };
      return events.toSpliced(at + 1, 0, { kind: 'chunk', chunk: extra });
    }),
  },
  {
    id: 'stream.finish-reason-eos',
    description: 'the streamed finish_reason "stop" is sent as "eos"',
    alsoBreaks: ['stream.chunk.schema', 'stream.finish-stop', 'stream.stop-sequence'],
    events: finishAs('stop', 'eos'),
  },
  {
    id: 'stream.data-after-done',
    description: 'a copy of the last chunk is sent after data: [DONE]',
    events: (events) => {
      const last = events.findLast(isChunk);
      return last ? [...events, { kind: 'chunk', chunk: last.chunk }] : events;
    },
  },
  {
    id: 'stream.buffered',
    description: 'the whole stream is buffered and written at once at the end (a buffering proxy)',
    plan: (plan) => {
      if (!isEventStream(plan.headers) || plan.writes.length < 2) return plan;
      const delay = plan.writes.reduce((sum, w) => sum + w.delayMs, 0);
      return { ...plan, writes: [{ delayMs: delay, bytes: concatBytes(plan.writes.map((w) => w.bytes)) }] };
    },
  },
  {
    id: 'stream.pause-mid',
    description: 'the stream pauses once, in the middle, for the given milliseconds (default 700)',
    param: { description: 'the pause in milliseconds', check: pauseParam },
    plan: (plan, ctx) => {
      const events = isEventStream(plan.headers) ? eventWrites(plan) : [];
      const at = events[Math.floor(events.length / 2)];
      if (at === undefined || events.length < 2) return plan;
      const ms = ctx.param !== undefined ? Number(ctx.param) : 700;
      return { ...plan, writes: plan.writes.map((w, i) => (i === at ? { ...w, delayMs: w.delayMs + ms } : w)) };
    },
  },
  {
    id: 'stream.single-chunk',
    description: 'the whole text of choice 0 comes in one content chunk (pseudo-streaming)',
    events: (events) => {
      const content = events.flatMap((e, i) => (isChunk(e) && text(e.chunk.choices?.[0]) !== undefined && e.chunk.choices[0].index === 0 ? [i] : []));
      if (content.length < 2) return events;
      const whole = content.map((i) => text((events[i] as { chunk: Chunk }).chunk.choices[0])).join('');
      const first = (events[content[0]] as { chunk: Chunk }).chunk;
      const merged: Chunk = { ...first, choices: [{ ...first.choices[0], delta: { ...first.choices[0].delta, content: whole } }] };
      const drop = new Set(content.slice(1));
      return events.flatMap((e, i) => (i === content[0] ? [{ kind: 'chunk' as const, chunk: merged }] : drop.has(i) ? [] : [e]));
    },
  },
  {
    id: 'stream.length-as-stop',
    description: 'a streamed answer cut by max_tokens finishes with "stop" instead of "length"',
    events: finishAs('length', 'stop'),
  },
  {
    id: 'stream.stop-as-length',
    description: 'a streamed answer that ends on its own finishes with "length" instead of "stop"',
    alsoBreaks: ['stream.stop-sequence'],
    events: finishAs('stop', 'length'),
  },
  {
    id: 'stream.stop-ignored',
    description: 'stop is ignored in streamed requests',
    request: (req) => (req.stream !== true || !('stop' in req) ? req : without(req, 'stop')),
  },
  {
    id: 'stream.error-as-event',
    description: 'A streamed request that does not fit the context is not refused before the stream: the stream starts, then reports the error as an "event: error" event (older llama.cpp), which clients skip.',
    validate: (ctx, verdict) => (verdict?.stage === 'semantic' && ctx.request?.stream === true && contextOverflow(ctx.request) ? null : verdict),
    plan: (plan, ctx) => {
      if (ctx.request?.stream !== true || !contextOverflow(ctx.request)) return plan;
      const first = eventWrites(plan)[0];
      if (first === undefined) return plan;
      const error = JSON.stringify(errorBody('the request exceeds the available context size', 'exceed_context_size_error', null, null));
      return { ...plan, writes: [...plan.writes.slice(0, first + 1), { delayMs: 0, bytes: utf8(`event: error\ndata: ${error}\n\n`) }] };
    },
  },
];
