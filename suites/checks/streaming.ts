// streaming: Server-Sent Events as OpenAI sends them — content type, raw framing, chunk shape and
// consistency, the role/content/finish_reason protocol, the [DONE] sentinel, incremental delivery
// (with MAY figures: TTFT, gaps, throughput) and the finishes a client must see ("length", "stop").
import { FINISH_REASONS, STOP_BASE, stopBaseline, stopWord } from './core.ts';
import { couldReachLimit, cutBefore } from './gates.ts';
import { acceptedProblem, assembleStreamExchange, framingProblems, isAnnotationChunk, isObject, percentile, show, type StreamSummary } from './stream-helpers.ts';
import type { Check, CheckContext, Exchange, Finding, RequestSpec, Validator } from './types.ts';
import { chat, createdProblem, everyEvent, streamCompleted } from './validators.ts';

/** The plain streamed request most streaming checks judge (sent once per worker). */
export const STREAM: RequestSpec = { body: chat(undefined, { stream: true }) };
const STREAM_LENGTH: RequestSpec = { body: chat('Write a long story about a dragon.', { stream: true, max_tokens: 1 }) };
const STREAM_STOP: RequestSpec = { body: chat('Say hello in five words.', { stream: true, max_tokens: 512 }) };
/** A stream of a few hundred tokens: long enough on most servers to cross a second boundary. */
const LONG_STREAM: RequestSpec = { body: chat('Count from 1 to 300, separated by commas.', { stream: true, max_tokens: 400 }) };

/** A stream that completed, judged on what a client consumes (the events before [DONE]). */
function withStream(judge: (s: StreamSummary, x: Exchange, out: { notes: Record<string, unknown>; metrics: Record<string, number> }, ctx: CheckContext) => Finding | undefined): Validator[] {
  return [streamCompleted, (x, ctx, out) => judge(assembleStreamExchange(x), x, out, ctx)];
}

/** Each parsed chunk (before [DONE]) with its position; annotation chunks (Azure's object "") left out. */
function chunks(s: StreamSummary): { i: number; chunk: Record<string, any> }[] {
  return s.events.flatMap((e, i) => (isObject(e.json) && !isAnnotationChunk(e.json) ? [{ i, chunk: e.json }] : []));
}

/** The same value of `field` on every chunk. */
function sameAcrossChunks(field: 'id' | 'created' | 'model'): Validator[] {
  return withStream((s, _x, out) => {
    const list = chunks(s);
    if (list.length === 0) return { skip: 'prerequisite failed: no chunk parsed as JSON (see stream.events-json)' };
    const first = list[0].chunk[field];
    out.notes[field] = first;
    const other = list.find((c) => c.chunk[field] !== first);
    if (other) {
      return `chunk ${other.i} has ${field} ${show(other.chunk[field])}, but chunk ${list[0].i} has ${show(first)}: every chunk of one completion must carry the same ${field}`;
    }
  });
}

/** Choice 0 of a completed stream, or a skip. */
function choice0(s: StreamSummary) {
  const c = s.choices.find((ch) => ch.index === 0);
  return c ?? { skip: 'prerequisite failed: no chunk carried choice 0' };
}

function finishOf(s: StreamSummary, what: string): { value: unknown } | { finding: Finding } {
  const c = choice0(s);
  if ('skip' in c) return { finding: c };
  if (c.finishReasons.length === 0) return { finding: `${what}: choice 0 never carried a finish_reason` };
  return { value: c.finishReasons[c.finishReasons.length - 1].value };
}

export const streamingChecks: Check[] = [
  {
    id: 'stream.content-type',
    level: 'MUST',
    capability: 'streaming',
    title: 'A stream is sent as text/event-stream',
    requirement: 'A streamed answer "must be sent with content-type text/event-stream".',
    fault: 'wrong-content-type',
    request: STREAM,
    validate: [
      (x) => {
        if (x.status !== 200) return `expected HTTP 200 for the stream, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
        const got = x.contentType.split(';')[0].trim().toLowerCase();
        if (got !== 'text/event-stream') return `content-type is ${show(x.contentType || '(none)')}, not text/event-stream (EventSource and the SDKs dispatch on it)`;
      },
    ],
  },
  {
    id: 'stream.framing',
    level: 'MUST',
    capability: 'streaming',
    title: 'The raw framing is SSE: data: lines, blank-line separators',
    requirement: 'Each event "must be sent as data: lines ended by a blank line"; comment lines (":") are allowed, nothing else that is not an SSE field.',
    fault: 'stream.framing-junk-line',
    request: STREAM,
    validate: [
      streamCompleted,
      (x, _ctx, out) => {
        const report = framingProblems(x.text);
        out.notes.framing = { lineEnding: report.lineEnding, events: report.blocks, comments: report.comments, eventFields: report.eventFields.length };
        if (report.problems.length > 0) return `the raw stream is not clean SSE: ${report.problems.join('; ')}`;
      },
    ],
  },
  {
    id: 'stream.no-event-field',
    level: 'SHOULD',
    capability: 'streaming',
    title: 'Events carry no event: field',
    requirement: 'Chat completion events "should be unnamed data events" (no event: lines): EventSource onmessage and several SDKs ignore named events.',
    fault: 'stream.event-field',
    request: STREAM,
    validate: [
      streamCompleted,
      (x) => {
        const report = framingProblems(x.text);
        if (report.eventFields.length > 0) {
          const names = [...new Set(report.eventFields)].map((n) => show(n)).join(', ');
          return `${report.eventFields.length} event(s) carry an event: field (${names}); OpenAI streams send unnamed data events`;
        }
      },
    ],
  },
  {
    id: 'stream.events-json',
    level: 'MUST',
    capability: 'streaming',
    title: 'Every data event before [DONE] is JSON',
    requirement: 'Every data event of a stream, except the final [DONE], "must be one JSON object".',
    fault: 'stream.event-not-json',
    request: STREAM,
    validate: withStream((s) => {
      if (s.unparsed.length > 0) {
        const i = s.unparsed[0];
        const e = s.events[i];
        return `event ${i} is not a JSON object${e.error ? ` (${e.error})` : ''}: data ${show(e.data, 160)}`;
      }
    }),
  },
  {
    id: 'stream.chunk.schema',
    level: 'MUST',
    capability: 'streaming',
    title: 'Every chunk validates against the chat-completion-chunk schema',
    requirement: 'Every chunk "must be a chat.completion.chunk object as the contract defines it".',
    fault: 'stream.chunk-schema-broken',
    request: STREAM,
    validate: [streamCompleted, everyEvent('chat-completion-chunk')],
  },
  {
    id: 'stream.object',
    level: 'MUST',
    capability: 'streaming',
    title: 'object is "chat.completion.chunk" on every chunk',
    requirement: 'Every chunk "must have object "chat.completion.chunk"".',
    fault: 'stream.object-wrong',
    request: STREAM,
    validate: withStream((s) => {
      for (const { i, chunk } of chunks(s)) {
        if (chunk.object !== 'chat.completion.chunk') return `chunk ${i} has object ${show(chunk.object)}, not "chat.completion.chunk"`;
      }
    }),
  },
  {
    id: 'stream.same-id',
    level: 'MUST',
    capability: 'streaming',
    title: 'Every chunk carries the same id',
    requirement: 'Every chunk of one streamed completion "must carry the same id".',
    fault: 'stream.id-changes',
    request: STREAM,
    validate: sameAcrossChunks('id'),
  },
  {
    id: 'stream.same-created',
    level: 'MUST',
    capability: 'streaming',
    title: 'Every chunk carries the same created',
    requirement: 'Every chunk of one streamed completion "must carry the same created timestamp" (judged on a long stream, so a created that follows the clock shows).',
    fault: 'stream.created-changes',
    request: LONG_STREAM,
    validate: [
      ...sameAcrossChunks('created'),
      (x, _ctx, out) => {
        const events = x.events ?? [];
        if (events.length > 1) out.notes.streamMs = Math.round(events[events.length - 1].atMs - events[0].atMs);
      },
    ],
  },
  {
    id: 'stream.same-model',
    level: 'MUST',
    capability: 'streaming',
    title: 'Every chunk carries the same model',
    requirement: 'Every chunk of one streamed completion "must carry the same model".',
    fault: 'stream.model-changes',
    request: STREAM,
    validate: sameAcrossChunks('model'),
  },
  {
    id: 'stream.created-seconds',
    level: 'MUST',
    capability: 'streaming',
    title: 'created is a plausible Unix time in seconds',
    requirement: 'A chunk\'s created "must be the Unix timestamp (in seconds) of when the completion was created".',
    fault: 'stream.created-ms',
    request: STREAM,
    validate: withStream((s, _x, out) => {
      const first = chunks(s)[0];
      if (!first) return { skip: 'prerequisite failed: no chunk parsed as JSON (see stream.events-json)' };
      const created = first.chunk.created;
      out.notes.created = created;
      const problem = createdProblem(created);
      if (problem) return `chunk ${first.i} has created ${problem}`;
    }),
  },
  {
    id: 'stream.first-delta-role',
    level: 'MUST',
    capability: 'streaming',
    title: 'The first delta of each choice carries role "assistant"',
    requirement: 'The first chunk of each choice "must carry delta.role "assistant"" (clients build the message from it).',
    fault: 'stream.no-role',
    request: STREAM,
    validate: withStream((s, _x, out) => {
      if (s.choices.length === 0) return 'no chunk carried a choice';
      for (const c of s.choices) {
        const first = c.roles[0];
        out.notes[`choice${c.index}.roles`] = c.roles;
        if (!first) return `choice ${c.index} never announced a role: its first chunk (event ${c.firstEvent}) has no delta.role "assistant"`;
        if (first.event !== c.firstEvent) return `choice ${c.index} announces delta.role only at event ${first.event}, not on its first chunk (event ${c.firstEvent})`;
        if (first.value !== 'assistant') return `the first delta of choice ${c.index} has role ${show(first.value)}, not "assistant"`;
        const other = c.roles.find((r) => r.value !== 'assistant');
        if (other) return `choice ${c.index} changes delta.role to ${show(other.value)} at event ${other.event}`;
      }
    }),
  },
  {
    id: 'stream.content-concatenates',
    level: 'MUST',
    capability: 'streaming',
    title: 'Content deltas concatenate to the answer text',
    requirement: 'A plain streamed answer "must carry its text in delta.content strings" that concatenate to a non-empty answer.',
    fault: 'stream.empty-content',
    request: STREAM,
    validate: withStream((s, _x, out) => {
      const c = choice0(s);
      if ('skip' in c) return c;
      out.notes.content = c.content;
      out.notes.contentEvents = c.contentEvents.length;
      for (const { i, chunk } of chunks(s)) {
        for (const ch of Array.isArray(chunk.choices) ? chunk.choices : []) {
          const content = isObject(ch) && isObject(ch.delta) ? ch.delta.content : undefined;
          if (content !== undefined && content !== null && typeof content !== 'string') {
            return `chunk ${i} has delta.content ${show(content)}, not a string`;
          }
        }
      }
      if (c.content === '' && c.refusal !== '') {
        return { skip: `the model refused (delta.refusal ${show(c.refusal, 80)}), so there is no answer text to judge` };
      }
      if (c.content === '') {
        return c.reasoning
          ? `the stream carried only reasoning (${c.reasoning.length} characters) and no delta.content: the answer text is empty`
          : 'the content deltas of choice 0 concatenate to an empty string';
      }
    }),
  },
  {
    id: 'stream.finish-reason.once',
    level: 'MUST',
    capability: 'streaming',
    title: 'Each choice carries exactly one finish_reason',
    requirement: 'Each choice of a stream "must carry exactly one non-null finish_reason".',
    fault: 'stream.no-finish-reason',
    request: STREAM,
    validate: withStream((s) => {
      if (s.choices.length === 0) return 'no chunk carried a choice';
      for (const c of s.choices) {
        if (c.finishReasons.length === 0) return `choice ${c.index} never carried a finish_reason (every chunk had null or none)`;
        if (c.finishReasons.length > 1) {
          return `choice ${c.index} carried ${c.finishReasons.length} finish_reasons: ${c.finishReasons.map((f) => `${show(f.value)} at event ${f.event}`).join(', ')}`;
        }
      }
    }),
  },
  {
    id: 'stream.finish-reason.last',
    level: 'MUST',
    capability: 'streaming',
    title: 'The finish_reason comes on the choice\'s last chunk',
    requirement: 'The finish_reason "must arrive on the last chunk of its choice": no content, reasoning or tool call after it.',
    fault: 'stream.content-after-finish',
    request: STREAM,
    validate: withStream((s) => {
      for (const c of s.choices) {
        if (c.finishReasons.length === 0) continue;
        const at = c.finishReasons[0].event;
        if (c.payloadAfterFinish.length > 0) {
          return `choice ${c.index} finished at event ${at} (${show(c.finishReasons[0].value)}), but event ${c.payloadAfterFinish[0]} still carries content for it`;
        }
        if (c.lastEvent !== c.finishReasons[c.finishReasons.length - 1].event) {
          return { lenient: `choice ${c.index} finished at event ${at}, but an empty delta for it followed at event ${c.lastEvent}` };
        }
      }
      if (s.choices.every((c) => c.finishReasons.length === 0)) return { skip: 'prerequisite failed: no choice carried a finish_reason (see stream.finish-reason.once)' };
    }),
  },
  {
    id: 'stream.finish-reason.enum',
    level: 'MUST',
    capability: 'streaming',
    title: 'A streamed finish_reason is one of the defined values',
    requirement: `A streamed finish_reason "must be one of ${FINISH_REASONS.join(', ')}".`,
    fault: 'stream.finish-reason-eos',
    request: STREAM,
    validate: withStream((s) => {
      for (const c of s.choices) {
        for (const f of c.finishReasons) {
          if (!FINISH_REASONS.includes(f.value as string)) return `choice ${c.index} has finish_reason ${show(f.value)} at event ${f.event}, not one of ${FINISH_REASONS.join('|')}`;
        }
      }
      if (s.choices.every((c) => c.finishReasons.length === 0)) return { skip: 'prerequisite failed: no choice carried a finish_reason (see stream.finish-reason.once)' };
    }),
  },
  {
    id: 'stream.done-sentinel',
    level: 'MUST',
    capability: 'streaming',
    title: 'The stream ends with data: [DONE]',
    requirement: 'A stream "must end with the event data: [DONE]" (the SDKs stop reading there).',
    fault: 'no-done',
    judgesFailures: true,
    request: STREAM,
    validate: [
      streamCompleted,
      (x) => {
        if (x.doneIndex === undefined || x.doneIndex < 0) {
          const last = x.sse?.events[x.sse.events.length - 1];
          return `no data: [DONE] event arrived (${x.sse?.events.length ?? 0} events; the last was ${show(last?.data, 100)})`;
        }
      },
    ],
  },
  {
    id: 'stream.done-last',
    level: 'MUST',
    capability: 'streaming',
    title: 'Nothing follows data: [DONE]',
    requirement: 'data: [DONE] "must be the last event": nothing may follow it.',
    fault: 'stream.data-after-done',
    request: STREAM,
    validate: withStream((s, x) => {
      if (!s.done) return { skip: 'prerequisite failed: no data: [DONE] arrived (see stream.done-sentinel)' };
      if (s.afterDone.length > 0) return `${s.afterDone.length} event(s) followed data: [DONE], first ${show(s.afterDone[0], 120)}`;
      // trailing bytes that do not form an event (half an event, junk)
      const tail = x.text.slice(x.text.lastIndexOf('[DONE]') + 6).replace(/^\r?\n/, '');
      if (tail.trim() !== '' && !tail.split(/\r?\n|\r/).every((l) => l === '' || l.startsWith(':'))) {
        return `bytes follow data: [DONE]: ${show(tail, 120)}`;
      }
    }),
  },
  {
    id: 'stream.incremental',
    level: 'SHOULD',
    capability: 'streaming',
    title: 'Chunks arrive incrementally, not all at once',
    requirement: 'A stream "should deliver chunks as they are generated", not buffered into one burst at the end.',
    fault: 'stream.buffered',
    request: STREAM,
    validate: withStream((s, x, out) => {
      const events = s.events;
      if (events.length < 2) return { skip: `prerequisite failed: the stream carried ${events.length} data event(s); two are needed to see spacing` };
      const first = events[0].atMs;
      const last = events[events.length - 1].atMs;
      const total = x.sse?.doneMs ?? x.timings.totalMs;
      const start = x.timings.headersMs ?? 0;
      const spread = last - first;
      const sseEvents = x.sse?.events ?? [];
      const reads = new Set(sseEvents.filter((e) => e.data !== '[DONE]').map((e) => e.read)).size;
      const share = total > 0 ? spread / total : 0;
      out.notes.measured = { events: events.length, readsCarryingEvents: reads, firstEventMs: round(first), lastEventMs: round(last), headersMs: round(start), responseMs: round(total), spreadPercent: round(share * 100) };
      if (share >= 0.2) return;
      if (reads > 1 && spread >= 10) return;
      return `all ${events.length} data events arrived within ${round(spread)} ms (first at ${round(first)} ms, last at ${round(last)} ms of a ${round(total)} ms response, ${round(share * 100)}%) in ${reads} network read(s): the stream looks buffered, not delivered as generated`;
    }),
  },
  {
    id: 'stream.metrics.ttft',
    level: 'MAY',
    capability: 'streaming',
    title: 'Time to first token (figure)',
    requirement: 'Time to the first data event "may be reported"; it should stay well under the request timeout (at most half of it).',
    fault: 'slow-first-byte:3500',
    request: STREAM,
    validate: withStream((_s, x, out, ctx) => {
      const ttft = x.timings.ttftMs;
      if (ttft === undefined) return 'no data event arrived, so no time to first token';
      out.metrics.ttftMs = round(ttft);
      if (x.timings.headersMs !== undefined) out.metrics.headersMs = round(x.timings.headersMs);
      const limit = ctx.config.profile.timeouts.request / 2;
      if (ttft > limit) return `time to first token ${round(ttft)} ms is more than half of the request timeout (${ctx.config.profile.timeouts.request} ms)`;
    }),
  },
  {
    id: 'stream.metrics.gaps',
    level: 'MAY',
    capability: 'streaming',
    title: 'Inter-chunk gaps: mean and p95 (figure)',
    requirement: 'Gaps between data events "may be reported"; none should come near the idle timeout (at most half of it).',
    fault: 'stream.pause-mid:1800',
    request: STREAM,
    validate: withStream((s, _x, out, ctx) => {
      const times = s.events.map((e) => e.atMs);
      if (times.length < 2) return `the stream carried ${times.length} data event(s), so there are no gaps to measure`;
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      out.metrics.meanGapMs = round(mean);
      out.metrics.p95GapMs = round(percentile(gaps, 95));
      out.metrics.maxGapMs = round(Math.max(...gaps));
      const limit = ctx.config.profile.timeouts.idle / 2;
      const worst = gaps.indexOf(Math.max(...gaps));
      if (gaps[worst] > limit) return `the gap before event ${worst + 1} is ${round(gaps[worst])} ms, more than half of the idle timeout (${ctx.config.profile.timeouts.idle} ms)`;
    }),
  },
  {
    id: 'stream.metrics.throughput',
    level: 'MAY',
    capability: 'streaming',
    title: 'Chunk count and tokens per second (figure)',
    requirement: 'The number of content chunks and the rate "may be reported"; the text should come in several chunks, not one.',
    fault: 'stream.single-chunk',
    request: STREAM,
    validate: withStream((s, _x, out) => {
      const c = choice0(s);
      if ('skip' in c) return c;
      const times = c.contentEvents.map((i) => s.events[i].atMs);
      out.metrics.chunks = s.events.length;
      out.metrics.contentChunks = c.contentEvents.length;
      if (times.length >= 2) {
        const seconds = (times[times.length - 1] - times[0]) / 1000;
        // Each content chunk is taken as one token (servers stream about one token per chunk).
        if (seconds > 0) out.metrics.tokensPerSecond = round((times.length - 1) / seconds);
      }
      const words = c.content.trim().split(/\s+/).filter(Boolean).length;
      if (c.contentEvents.length === 1 && words > 3) return `the whole answer (${words} words) came in one content chunk: not streamed token by token`;
    }),
  },
  {
    id: 'stream.finish-length',
    level: 'MUST',
    capability: 'streaming',
    title: 'A stream cut by max_tokens finishes with "length"',
    requirement: 'A streamed answer cut by max_tokens "must end with finish_reason "length"".',
    fault: 'stream.length-as-stop',
    request: STREAM_LENGTH,
    validate: withStream((s, _x, out) => {
      const f = finishOf(s, 'with max_tokens 1');
      if ('finding' in f) return f.finding;
      out.notes.finish_reason = f.value;
      if (f.value !== 'length') return `with max_tokens 1, the streamed finish_reason is ${show(f.value)}, not "length"`;
    }),
  },
  {
    id: 'stream.finish-stop',
    level: 'MUST',
    capability: 'streaming',
    title: 'A stream that ends naturally finishes with "stop"',
    requirement: 'A streamed answer that ends on its own "must end with finish_reason "stop"".',
    fault: 'stream.stop-as-length',
    request: STREAM_STOP,
    validate: withStream((s, x, out) => {
      const f = finishOf(s, 'a short answer with max_tokens 512');
      if ('finding' in f) return f.finding;
      out.notes.finish_reason = f.value;
      if (f.value === 'stop') return undefined;
      const c = s.choices.find((ch) => ch.index === 0);
      const text = `${c?.reasoning ?? ''}${c?.content ?? ''}`;
      if (f.value === 'length' && couldReachLimit(x, text)) return cutBefore(x, 'a natural stop');
      return `a short answer (max_tokens 512) finished with ${show(f.value)}, not "stop"${f.value === 'length' ? ` although its ${Buffer.byteLength(text)} bytes cannot hold 512 tokens` : ''}`;
    }),
  },
  {
    id: 'stream.stop-sequence',
    level: 'MUST',
    capability: 'streaming',
    title: 'stop ends a streamed answer before the stop text (effect probe)',
    requirement: 'With stop set, a streamed answer "must end before the stop text": it is absent from the concatenated content and finish_reason is "stop".',
    fault: 'stream.stop-ignored',
    dependsOnModel: true,
    async run(ctx, out) {
      const base = await stopBaseline(ctx, out);
      if ('finding' in base) return base.finding;
      const word = stopWord(base.text);
      out.notes.stop = word;
      const x = await ctx.send({ body: { ...STOP_BASE.body, stream: true, stop: word } }, { fresh: true });
      const problem = acceptedProblem(x, 'the streamed request with stop');
      if (problem) return problem;
      const s = assembleStreamExchange(x);
      const c = s.choices.find((ch) => ch.index === 0);
      if (!c) return 'the streamed answer carried no choice 0';
      out.notes.stopped = c.content;
      if (c.content.includes(word)) return { ignored: `stop ${show(word)} was accepted without effect in a stream: the streamed text still contains it (${show(c.content, 160)})` };
      const finish = c.finishReasons[c.finishReasons.length - 1]?.value;
      if (finish !== 'stop') return `the streamed answer ended at the stop text, but finish_reason is ${show(finish)}, not "stop"`;
    },
  },
];

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
