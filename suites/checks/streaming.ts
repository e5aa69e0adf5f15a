// streaming: Server-Sent Events as OpenAI sends them — content type, raw framing, chunk shape and
// consistency, the role/content/finish_reason protocol, the [DONE] sentinel, incremental delivery
// (with MAY figures: TTFT, gaps, throughput) and the finishes a client must see ("length", "stop").
import { isObject } from '../../lib/json.ts';
import { contextWindow, promptOfTokens } from './support/context-window.ts';
import { Skip, completedStream, couldReachLimit, cutBefore, prerequisite } from './support/gates.ts';
import { END_TOKENS, leakedMarkup } from './support/markup.ts';
import { CHAT_STREAMING, EVENT_STREAM_TYPE, STREAM_RESPONSE, deltaField, param, schema as contract, sse } from './support/refs.ts';
import { STREAM, chat } from './support/requests.ts';
import { framing } from './support/sse-framing.ts';
import { oneStopWord, stopProbe } from './support/stop-probe.ts';
import { chunksOf, eventsBeforeDone, streamChoice, streamView, type StreamChoice, type StreamView } from './support/stream-view.ts';
import { percentile, round, show } from './support/text.ts';
import { FINISH_REASONS, createdProblem, everyEvent } from './support/validators.ts';
import { checksOf, type CheckContext, type Exchange, type Finding, type RequestSpec, type Validator, type ValidatorOutput } from './types.ts';

const STREAM_LENGTH: RequestSpec = { body: chat('Write a long story about a dragon.', { stream: true, max_tokens: 1 }) };
const STREAM_STOP: RequestSpec = { body: chat('Say hello in five words.', { stream: true, max_tokens: 512 }) };
/** A stream of a few hundred tokens: long enough on most servers to cross a second boundary. */
const LONG_STREAM: RequestSpec = { body: chat('Count from 1 to 300, separated by commas.', { stream: true, max_tokens: 400 }) };
/** stream.error-in-band: the prompt leaves this many tokens of the context; the completion asks for four times that */
const CONTEXT_ROOM = 64;

type StreamJudge = (s: StreamView, x: Exchange, out: ValidatorOutput, ctx: CheckContext) => Finding | undefined | void;

/** A stream that completed, judged on what a client consumes (the events before [DONE]). */
function withStream(judge: StreamJudge): Validator[] {
  return [completedStream, (x, ctx, out) => judge(streamView(x), x, out, ctx)];
}

/** The same value of `field` on every chunk. */
function sameAcrossChunks(field: 'id' | 'created' | 'model'): Validator[] {
  return withStream((s, _x, out) => {
    const list = chunksOf(s);
    if (list.length === 0) return prerequisite('no chunk parsed as JSON', 'stream.events-json');
    const first = list[0].chunk[field];
    out.notes[field] = first;
    const other = list.find((c) => c.chunk[field] !== first);
    if (other) {
      return `chunk ${other.i} has ${field} ${show(other.chunk[field])}, but chunk ${list[0].i} has ${show(first)}: every chunk of one completion must carry the same ${field}`;
    }
  });
}

/** A judge of choice 0 of a completed stream (a SKIP when no chunk carried it). */
function withChoice0(judge: (c: StreamChoice, s: StreamView, x: Exchange, out: ValidatorOutput) => Finding | undefined | void): Validator[] {
  return withStream((s, x, out) => {
    const c = s.choices.find((ch) => ch.index === 0);
    return c ? judge(c, s, x, out) : prerequisite('no chunk carried choice 0');
  });
}

/** A judge of every choice's finish reasons (a SKIP when no choice carried one). */
function withFinishes(judge: (c: StreamChoice) => Finding | undefined): Validator[] {
  return withStream((s) => {
    for (const c of s.choices) {
      const finding = c.finishReasons.length > 0 ? judge(c) : undefined;
      if (finding) return finding;
    }
    if (s.choices.every((c) => c.finishReasons.length === 0)) return prerequisite('no choice carried a finish_reason', 'stream.finish-reason.once');
  });
}

/** Choice 0 ends with `expected`; `otherwise` may explain another finish (inconclusive). */
function finishesWith(expected: string, what: string, otherwise?: (value: unknown, c: StreamChoice, x: Exchange) => Finding | undefined): Validator[] {
  return withChoice0((c, _s, x, out) => {
    if (c.finishReasons.length === 0) return `${what}: choice 0 never carried a finish_reason`;
    const value = c.finishReasons.at(-1)!.value;
    out.notes.finish_reason = value;
    if (value === expected) return undefined;
    return otherwise ? otherwise(value, c, x) : `${what}, the streamed finish_reason is ${show(value)}, not "${expected}"`;
  });
}

export const streamingChecks = checksOf('streaming', [
  { id: 'stream.content-type', level: 'MUST', fault: 'wrong-content-type', ref: EVENT_STREAM_TYPE,
    title: 'A stream is sent as text/event-stream', requirement: 'A streamed answer "must be sent with content-type text/event-stream".',
    request: STREAM, validate: [
      (x) => {
        if (x.status !== 200) return `expected HTTP 200 for the stream, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
        const got = x.contentType.split(';')[0].trim().toLowerCase();
        if (got !== 'text/event-stream') return `content-type is ${show(x.contentType || '(none)')}, not text/event-stream (EventSource and the SDKs dispatch on it)`;
      },
    ],
  },
  { id: 'stream.framing', level: 'MUST', fault: 'stream.framing-junk-line', ref: sse('parsing-an-event-stream'),
    title: 'The raw framing is SSE: data: lines, blank-line separators', requirement: 'Each event "must be sent as data: lines ended by a blank line"; comment lines (":") are allowed, nothing else that is not an SSE field.',
    request: STREAM, validate: [completedStream, (x, _ctx, out) => {
      const report = framing(x.text);
      out.notes.framing = { lineEnding: report.lineEnding, events: report.blocks, comments: report.comments, eventFields: report.eventFields.length };
      if (report.problems.length > 0) return `the raw stream is not clean SSE: ${report.problems.join('; ')}`;
    }],
  },
  { id: 'stream.no-event-field', level: 'SHOULD', fault: 'stream.event-field', ref: sse('event-stream-interpretation'),
    title: 'Events carry no event: field', requirement: 'Chat completion events "should be unnamed data events" (no event: lines): EventSource onmessage and several SDKs ignore named events.',
    request: STREAM, validate: [completedStream, (x) => {
      const { eventFields } = framing(x.text);
      if (eventFields.length === 0) return;
      return `${eventFields.length} event(s) carry an event: field (${[...new Set(eventFields)].map((n) => show(n)).join(', ')}); OpenAI streams send unnamed data events`;
    }],
  },
  { id: 'stream.events-json', level: 'MUST', fault: 'stream.event-not-json', ref: STREAM_RESPONSE,
    title: 'Every data event before [DONE] is JSON', requirement: 'Every data event of a stream, except the final [DONE], "must be one JSON object".',
    request: STREAM, validate: withStream((s) => {
      const bad = s.unparsed[0];
      if (bad) return `event ${bad.event} is not a JSON object${s.events[bad.event].error ? ` (${s.events[bad.event].error})` : ''}: data ${show(s.events[bad.event].data, 160)}`;
    }),
  },
  { id: 'stream.chunk.schema', level: 'MUST', fault: 'stream.chunk-schema-broken', ref: contract('chat-completion-chunk'),
    title: 'Every chunk validates against the chat-completion-chunk schema', requirement: 'Every chunk "must be a chat.completion.chunk object as the contract defines it".',
    request: STREAM, validate: [completedStream, everyEvent('chat-completion-chunk')],
  },
  { id: 'stream.object', level: 'MUST', fault: 'stream.object-wrong', ref: contract('chat-completion-chunk', '/properties/object'),
    title: 'object is "chat.completion.chunk" on every chunk', requirement: 'Every chunk "must have object "chat.completion.chunk"".',
    request: STREAM, validate: withStream((s) => {
      const wrong = chunksOf(s).find(({ chunk }) => chunk.object !== 'chat.completion.chunk');
      if (wrong) return `chunk ${wrong.i} has object ${show(wrong.chunk.object)}, not "chat.completion.chunk"`;
    }),
  },
  { id: 'stream.same-id', level: 'MUST', fault: 'stream.id-changes', ref: contract('chat-completion-chunk', '/properties/id'),
    title: 'Every chunk carries the same id', requirement: 'Every chunk of one streamed completion "must carry the same id".',
    request: STREAM, validate: sameAcrossChunks('id'),
  },
  { id: 'stream.same-created', level: 'MUST', fault: 'stream.created-changes', ref: contract('chat-completion-chunk', '/properties/created'),
    title: 'Every chunk carries the same created', requirement: 'Every chunk of one streamed completion "must carry the same created timestamp" (judged on a long stream, so a created that follows the clock shows).',
    request: LONG_STREAM, validate: [
      ...sameAcrossChunks('created'),
      (x, _ctx, out) => {
        const events = x.events ?? [];
        if (events.length > 1) out.notes.streamMs = Math.round(events[events.length - 1].atMs - events[0].atMs);
      },
    ],
  },
  { id: 'stream.same-model', level: 'MUST', fault: 'stream.model-changes', ref: contract('chat-completion-chunk', '/properties/model'),
    title: 'Every chunk carries the same model', requirement: 'Every chunk of one streamed completion "must carry the same model".',
    request: STREAM, validate: sameAcrossChunks('model'),
  },
  { id: 'stream.created-seconds', level: 'MUST', fault: 'stream.created-ms', ref: contract('chat-completion-chunk', '/properties/created'),
    title: 'created is a plausible Unix time in seconds', requirement: 'A chunk\'s created "must be the Unix timestamp (in seconds) of when the completion was created".',
    request: STREAM, validate: withStream((s, x, out) => {
      const first = chunksOf(s)[0];
      if (!first) return prerequisite('no chunk parsed as JSON', 'stream.events-json');
      out.notes.created = first.chunk.created;
      const problem = createdProblem(first.chunk.created, x.headers.date);
      if (problem) return `chunk ${first.i} has created ${problem}`;
    }),
  },
  { id: 'stream.first-delta-role', level: 'MUST', fault: 'stream.no-role', ref: CHAT_STREAMING,
    title: 'The first delta of each choice carries role "assistant"', requirement: 'The first chunk of each choice "must carry delta.role "assistant"" (clients build the message from it).',
    request: STREAM, validate: withStream((s, _x, out) => {
      if (s.choices.length === 0) return 'no chunk carried a choice';
      for (const c of s.choices) {
        const first = c.roles[0];
        out.notes[`choice${c.index}.roles`] = c.roles.map(({ event, value }) => ({ event, value }));
        if (!first) return `choice ${c.index} never announced a role: its first chunk (event ${c.firstEvent}) has no delta.role "assistant"`;
        if (first.event !== c.firstEvent) return `choice ${c.index} announces delta.role only at event ${first.event}, not on its first chunk (event ${c.firstEvent})`;
        if (first.value !== 'assistant') return `the first delta of choice ${c.index} has role ${show(first.value)}, not "assistant"`;
        const other = c.roles.find((r) => r.value !== 'assistant');
        if (other) return `choice ${c.index} changes delta.role to ${show(other.value)} at event ${other.event}`;
      }
    }),
  },
  { id: 'stream.content-concatenates', level: 'MUST', fault: 'stream.empty-content', ref: CHAT_STREAMING,
    title: 'Content deltas concatenate to the answer text', requirement: 'A plain streamed answer "must carry its text in delta.content strings" that concatenate to a non-empty answer.',
    request: STREAM, validate: withChoice0((c, s, _x, out) => {
      out.notes.content = c.content;
      out.notes.contentEvents = c.contentPieces.length;
      for (const { i, chunk } of chunksOf(s)) {
        for (const ch of Array.isArray(chunk.choices) ? chunk.choices : []) {
          const content = isObject(ch) && isObject(ch.delta) ? ch.delta.content : undefined;
          if (content !== undefined && content !== null && typeof content !== 'string') return `chunk ${i} has delta.content ${show(content)}, not a string`;
        }
      }
      if (c.content === '' && c.refusal !== '') return { skip: `the model refused (delta.refusal ${show(c.refusal, 80)}), so there is no answer text to judge` };
      if (c.content === '') {
        return c.reasoning
          ? `the stream carried only reasoning (${c.reasoning.length} characters) and no delta.content: the answer text is empty`
          : 'the content deltas of choice 0 concatenate to an empty string';
      }
    }),
  },
  { id: 'stream.finish-reason.once', level: 'MUST', fault: 'stream.no-finish-reason', ref: CHAT_STREAMING,
    title: 'Each choice carries exactly one finish_reason', requirement: 'Each choice of a stream "must carry exactly one non-null finish_reason".',
    request: STREAM, validate: withStream((s) => {
      if (s.choices.length === 0) return 'no chunk carried a choice';
      for (const c of s.choices) {
        if (c.finishReasons.length === 0) return `choice ${c.index} never carried a finish_reason (every chunk had null or none)`;
        if (c.finishReasons.length > 1) return `choice ${c.index} carried ${c.finishReasons.length} finish_reasons: ${c.finishReasons.map((f) => `${show(f.value)} at event ${f.event}`).join(', ')}`;
      }
    }),
  },
  { id: 'stream.finish-reason.last', level: 'MUST', fault: 'stream.content-after-finish', ref: CHAT_STREAMING,
    title: 'The finish_reason comes on the choice\'s last chunk', requirement: 'The finish_reason "must arrive on the last chunk of its choice": no content, reasoning or tool call after it.',
    request: STREAM, validate: withFinishes((c) => {
      const [first] = c.finishReasons;
      if (c.payloadAfterFinish.length > 0) return `choice ${c.index} finished at event ${first.event} (${show(first.value)}), but event ${c.payloadAfterFinish[0]} still carries content for it`;
      if (c.lastEvent !== c.finishReasons.at(-1)!.event) return { lenient: `choice ${c.index} finished at event ${first.event}, but an empty delta for it followed at event ${c.lastEvent}` };
    }),
  },
  { id: 'stream.finish-reason.enum', level: 'MUST', fault: 'stream.finish-reason-eos', ref: contract('chat-completion-chunk', '/definitions/ChatCompletionChunkChoice/properties/finish_reason'),
    title: 'A streamed finish_reason is one of the defined values', requirement: `A streamed finish_reason "must be one of ${FINISH_REASONS.join(', ')}".`,
    request: STREAM, validate: withFinishes((c) => {
      const wrong = c.finishReasons.find((f) => !FINISH_REASONS.includes(f.value as string));
      if (wrong) return `choice ${c.index} has finish_reason ${show(wrong.value)} at event ${wrong.event}, not one of ${FINISH_REASONS.join('|')}`;
    }),
  },
  { id: 'stream.content.no-template-tokens', level: 'MUST', fault: 'core.leak-end-token', ref: deltaField('content'),
    title: 'No end-of-turn or special token in the streamed text', requirement: 'The streamed delta.content "must not carry chat-template tokens" (<|im_end|>, <|eot_id|>, </s>, <|end|>, …): the server strips them (ollama/ollama#3759).',
    request: STREAM, validate: withChoice0((c) => {
      const leaked = leakedMarkup(c.content, END_TOKENS);
      if (leaked) return `the streamed content carries the template token ${show(leaked)}: ${show(c.content, 160)}`;
    }),
  },
  { id: 'stream.done-sentinel', level: 'MUST', fault: 'no-done', ref: CHAT_STREAMING, judgesFailures: true,
    title: 'The stream ends with data: [DONE]', requirement: 'A stream "must end with the event data: [DONE]" (the SDKs stop reading there).',
    request: STREAM, validate: [completedStream, (x) => {
      if (x.doneIndex !== undefined && x.doneIndex >= 0) return;
      return `no data: [DONE] event arrived (${x.sse?.events.length ?? 0} events; the last was ${show(x.sse?.events.at(-1)?.data, 100)})`;
    }],
  },
  { id: 'stream.done-last', level: 'MUST', fault: 'stream.data-after-done', ref: CHAT_STREAMING,
    title: 'Nothing follows data: [DONE]', requirement: 'data: [DONE] "must be the last event": nothing may follow it.',
    request: STREAM, validate: withStream((s, x) => {
      if (!s.done) return prerequisite('no data: [DONE] arrived', 'stream.done-sentinel');
      if (s.afterDone.length > 0) return `${s.afterDone.length} event(s) followed data: [DONE], first ${show(s.afterDone[0], 120)}`;
      // trailing bytes that do not form an event (half an event, junk)
      const tail = x.text.slice(x.text.lastIndexOf('[DONE]') + 6).replace(/^\r?\n/, '');
      if (tail.trim() !== '' && !tail.split(/\r?\n|\r/).every((l) => l === '' || l.startsWith(':'))) return `bytes follow data: [DONE]: ${show(tail, 120)}`;
    }),
  },
  { id: 'stream.incremental', level: 'SHOULD', fault: 'stream.buffered', ref: param('stream'),
    title: 'Chunks arrive incrementally, not all at once', requirement: 'A stream "should deliver chunks as they are generated", not buffered into one burst at the end.',
    request: STREAM, validate: withStream((s, x, out) => {
      const events = s.events;
      if (events.length < 2) return prerequisite(`the stream carried ${events.length} data event(s); two are needed to see spacing`);
      const first = events[0].atMs;
      const last = events[events.length - 1].atMs;
      const total = x.sse?.doneMs ?? x.timings.totalMs;
      const spread = last - first;
      const reads = new Set((x.sse?.events ?? []).filter((e) => e.data !== '[DONE]').map((e) => e.read)).size;
      const share = total > 0 ? spread / total : 0;
      out.notes.measured = { events: events.length, readsCarryingEvents: reads, firstEventMs: round(first), lastEventMs: round(last), headersMs: round(x.timings.headersMs ?? 0), responseMs: round(total), spreadPercent: round(share * 100) };
      if (share >= 0.2 || (reads > 1 && spread >= 10)) return;
      return `all ${events.length} data events arrived within ${round(spread)} ms (first at ${round(first)} ms, last at ${round(last)} ms of a ${round(total)} ms response, ${round(share * 100)}%) in ${reads} network read(s): the stream looks buffered, not delivered as generated`;
    }),
  },
  { id: 'stream.metrics.ttft', level: 'MAY', fault: 'slow-first-byte:7000', ref: param('stream'),
    title: 'Time to first token (figure)', requirement: 'Time to the first data event "may be reported"; it should stay well under the request timeout (at most half of it).',
    request: STREAM, validate: withStream((_s, x, out, ctx) => {
      const ttft = x.timings.ttftMs;
      if (ttft === undefined) return 'no data event arrived, so no time to first token';
      out.metrics.ttftMs = round(ttft);
      if (x.timings.headersMs !== undefined) out.metrics.headersMs = round(x.timings.headersMs);
      if (ttft > ctx.config.profile.timeouts.request / 2) return `time to first token ${round(ttft)} ms is more than half of the request timeout (${ctx.config.profile.timeouts.request} ms)`;
    }),
  },
  { id: 'stream.metrics.gaps', level: 'MAY', fault: 'stream.pause-mid:1800', ref: param('stream'),
    title: 'Inter-chunk gaps: mean and p95 (figure)', requirement: 'Gaps between data events "may be reported"; none should come near the idle timeout (at most half of it).',
    request: STREAM, validate: withStream((s, _x, out, ctx) => {
      const times = s.events.map((e) => e.atMs);
      if (times.length < 2) return `the stream carried ${times.length} data event(s), so there are no gaps to measure`;
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      out.metrics.meanGapMs = round(gaps.reduce((a, b) => a + b, 0) / gaps.length);
      out.metrics.p95GapMs = round(percentile(gaps, 95));
      // a loop, not Math.max(...gaps): a stream of 200,000 events would overflow the call stack
      const worst = gaps.reduce((at, gap, i) => (gap > gaps[at] ? i : at), 0);
      out.metrics.maxGapMs = round(gaps[worst]);
      const idle = ctx.config.profile.timeouts.idle;
      if (gaps[worst] > idle / 2) return `the gap before event ${worst + 1} is ${round(gaps[worst])} ms, more than half of the idle timeout (${idle} ms)`;
    }),
  },
  { id: 'stream.metrics.throughput', level: 'MAY', fault: 'stream.single-chunk', ref: param('stream'),
    title: 'Chunk count and tokens per second (figure)', requirement: 'The number of content chunks and the rate "may be reported"; the text should come in several chunks, not one.',
    request: STREAM, validate: withChoice0((c, s, _x, out) => {
      const times = c.contentPieces.map((p) => s.events[p.event].atMs);
      out.metrics.chunks = s.events.length;
      out.metrics.contentChunks = c.contentPieces.length;
      const seconds = times.length >= 2 ? (times[times.length - 1] - times[0]) / 1000 : 0;
      // Each content chunk is taken as one token (servers stream about one token per chunk).
      if (seconds > 0) out.metrics.tokensPerSecond = round((times.length - 1) / seconds);
      const words = c.content.trim().split(/\s+/).filter(Boolean).length;
      if (c.contentPieces.length === 1 && words > 3) return `the whole answer (${words} words) came in one content chunk: not streamed token by token`;
    }),
  },
  { id: 'stream.finish-length', level: 'MUST', fault: 'stream.length-as-stop', ref: param('max_tokens'),
    title: 'A stream cut by max_tokens finishes with "length"', requirement: 'A streamed answer cut by max_tokens "must end with finish_reason "length"".',
    request: STREAM_LENGTH, validate: finishesWith('length', 'with max_tokens 1'),
  },
  { id: 'stream.finish-stop', level: 'MUST', fault: 'stream.stop-as-length', ref: CHAT_STREAMING,
    title: 'A stream that ends naturally finishes with "stop"', requirement: 'A streamed answer that ends on its own "must end with finish_reason "stop"".',
    request: STREAM_STOP, validate: finishesWith('stop', 'a short answer with max_tokens 512', (value, c, x) => {
      const text = `${c.reasoning}${c.content}`;
      if (value === 'length' && couldReachLimit(x, text)) return cutBefore(x, 'a natural stop');
      return `a short answer (max_tokens 512) finished with ${show(value)}, not "stop"${value === 'length' ? ` although its ${Buffer.byteLength(text)} bytes cannot hold 512 tokens` : ''}`;
    }),
  },
  { id: 'stream.stop-sequence', level: 'MUST', fault: 'stream.stop-ignored', ref: param('stop'), dependsOnModel: true,
    title: 'stop ends a streamed answer before the stop text (effect probe)', requirement: 'With stop set, a streamed answer "must end before the stop text": it is absent from the concatenated content and finish_reason is "stop".',
    async run(ctx, out) {
      const got = await stopProbe(ctx, out, oneStopWord, true);
      if ('finding' in got) return got.finding;
      if (got.text.includes(got.stop)) return { ignored: `stop ${show(got.stop)} was accepted without effect in a stream: the streamed text still contains it (${show(got.text, 160)})` };
      if (got.finish !== 'stop') return `the streamed answer ended at the stop text, but finish_reason is ${show(got.finish)}, not "stop"`;
    },
  },
  { id: 'stream.error-in-band', level: 'SHOULD', fault: 'stream.error-as-event', ref: sse('event-stream-interpretation'),
    title: 'An error after the stream started is a data event with the error envelope, and ends the stream',
    requirement: 'An error after the first event "should come as a data: event holding the OpenAI error envelope, and end the stream": clients skip an event: error or error: line and then see an empty or endless answer (ggml-org/llama.cpp#16109). Provoked at the context edge: a prompt that fits, and a completion that cannot.',
    async run(ctx, out) {
      const window = await contextWindow(ctx);
      if (window instanceof Skip) return window;
      out.notes.contextWindow = window;
      const x = await ctx.send({ body: { messages: [{ role: 'user', content: promptOfTokens(window.tokens - CONTEXT_ROOM) }], stream: true, max_tokens: 4 * CONTEXT_ROOM } });
      if (x.status >= 400 && x.status < 500) return; // refused before the stream started: what a client handles best
      if (x.status !== 200) return { skip: `the request at the context edge was answered with HTTP ${x.status || 'no response'}, not a stream, so no error inside a stream shows` };
      const named = (x.sse?.events ?? []).find((e) => e.event === 'error');
      if (named) return `the error came as an "event: error" event (${show(named.data, 160)}); clients read data events only and skip it`;
      const field = /^error:/m.exec(x.text);
      if (field) return `the error came as an "error:" line, which is no SSE field: clients drop it (${show(x.text.slice(field.index, field.index + 160))})`;
      const events = eventsBeforeDone(x);
      const at = events.findIndex((e) => isObject(e.json) && 'error' in e.json);
      out.notes.events = events.length;
      if (at < 0) {
        out.notes.ended = streamChoice(x)?.finishReasons.at(-1)?.value ?? x.error ?? 'without a finish_reason';
        return x.error ? { skip: `the stream at the context edge broke off without an error event (${x.error})` } : undefined;
      }
      const error = events[at].json.error;
      if (!isObject(error) || typeof error.message !== 'string') return `the error event ${at} holds ${show(events[at].json, 160)}, not the OpenAI envelope {"error": {"message", "type", …}}`;
      const after = events.slice(at + 1).findIndex((e) => isObject(e.json) && Array.isArray(e.json.choices) && e.json.choices.length > 0);
      if (after >= 0) return `the stream went on after its error event ${at}: event ${at + 1 + after} carries choices again`;
    },
  },
]);
