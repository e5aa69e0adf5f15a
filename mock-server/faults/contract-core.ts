// Contract faults for the protocol checks (core, streaming, stream-usage, errors, models, auth).
// Each is one precise deviation that a real server has been seen to make (or could), breaking exactly
// what its check guards; `proves` lists every check it must make fail (the fault matrix also checks that
// no other MUST check of the same capability, or of core, fails under it).
import { concatBytes, errorBody, isEventStream, jsonPlan, utf8 } from '../respond.ts';
import { schemaProblem } from '../schema-gen.ts';
import type { ChatRequest, Chunk, Completion, Fault, FaultContext, PlannedWrite, ResponsePlan, StreamEvent, Verdict } from '../types.ts';
import { isObject } from '../../lib/json.ts';

type Json = Record<string, any>;


/** A 400 invalid_request_error verdict. */
function reject(message: string, param: string | null, code: string | null = 'invalid_value'): Verdict {
  return { status: 400, body: errorBody(message, 'invalid_request_error', param, code) };
}

function roles(req: ChatRequest): string[] {
  return Array.isArray(req.messages) ? req.messages.map((m: any) => (isObject(m) ? m.role : undefined)) : [];
}

// ------------------------------------------------------------------------------------------------
// Completion and chunk rewriting helpers

function mapChoices(c: Completion, fn: (choice: Json, i: number) => Json): Completion {
  return { ...c, choices: Array.isArray(c.choices) ? c.choices.map((ch: Json, i: number) => fn({ ...ch }, i)) : c.choices };
}

function withMessage(c: Completion, fn: (message: Json) => Json): Completion {
  return mapChoices(c, (ch) => ({ ...ch, message: isObject(ch.message) ? fn({ ...ch.message }) : ch.message }));
}

function isChunk(e: StreamEvent): e is { kind: 'chunk'; chunk: Chunk } {
  return e.kind === 'chunk';
}

/** Rewrite every chunk (index among chunks given). */
function mapChunks(events: StreamEvent[], fn: (chunk: Chunk, i: number) => Chunk): StreamEvent[] {
  let i = 0;
  return events.map((e) => (isChunk(e) ? { kind: 'chunk', chunk: fn({ ...e.chunk }, i++) } : e));
}

/** Rewrite every choice entry of every chunk. */
function mapChunkChoices(events: StreamEvent[], fn: (choice: Json) => Json): StreamEvent[] {
  return mapChunks(events, (chunk) => (Array.isArray(chunk.choices) ? { ...chunk, choices: chunk.choices.map((ch: Json) => fn({ ...ch })) } : chunk));
}

function isUsageChunk(e: StreamEvent): boolean {
  return isChunk(e) && Array.isArray(e.chunk.choices) && e.chunk.choices.length === 0 && isObject(e.chunk.usage);
}

function contentOf(chunk: Chunk): string | undefined {
  const c = Array.isArray(chunk.choices) ? chunk.choices[0]?.delta?.content : undefined;
  return typeof c === 'string' && c !== '' ? c : undefined;
}

function finishIndex(events: StreamEvent[]): number {
  return events.findIndex((e) => isChunk(e) && Array.isArray(e.chunk.choices) && e.chunk.choices.some((ch: Json) => ch?.finish_reason != null));
}

// ------------------------------------------------------------------------------------------------
// Plan (bytes) rewriting helpers

function setHeader(plan: ResponsePlan, name: string, value: string): ResponsePlan {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(plan.headers)) if (k.toLowerCase() !== name) headers[k] = v;
  headers[name] = value;
  return { ...plan, headers };
}

const decoder = new TextDecoder();

/** The JSON body of a plan, when it is one. */
function planJson(plan: ResponsePlan): unknown {
  try {
    return JSON.parse(decoder.decode(concatBytes(plan.writes.map((w) => w.bytes))));
  } catch {
    return undefined;
  }
}

function replaceJson(plan: ResponsePlan, status: number, body: unknown): ResponsePlan {
  const next = jsonPlan(status, body, plan.scenario);
  return { ...next, faults: plan.faults };
}

/** Indexes of writes that carry an SSE event (non-empty, not a comment). */
function eventWrites(plan: ResponsePlan): number[] {
  const out: number[] = [];
  plan.writes.forEach((w, i) => {
    if (w.bytes.byteLength > 0 && decoder.decode(w.bytes).startsWith('data:')) out.push(i);
  });
  return out;
}

function mapWriteText(plan: ResponsePlan, fn: (text: string, i: number) => string): ResponsePlan {
  const writes: PlannedWrite[] = plan.writes.map((w, i) => {
    if (w.bytes.byteLength === 0) return w;
    return { ...w, bytes: utf8(fn(decoder.decode(w.bytes), i)) };
  });
  return { ...plan, writes };
}

function hasKey(ctx: FaultContext): boolean {
  const h = ctx.headers ?? {};
  return (typeof h.authorization === 'string' && h.authorization.trim() !== '') || (typeof h['api-key'] === 'string' && h['api-key'].trim() !== '');
}

// ------------------------------------------------------------------------------------------------
// core

const KNOWN_REQUEST_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop',
  'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'seed', 'tools', 'tool_choice',
  'parallel_tool_calls', 'response_format', 'functions', 'function_call', 'service_tier', 'store', 'metadata', 'modalities',
  'audio', 'prediction', 'reasoning_effort', 'web_search_options', 'safety_identifier', 'prompt_cache_key', 'verbosity',
]);

const coreFaults: Fault[] = [
  {
    id: 'core.completion.schema-broken',
    description: 'system_fingerprint is a number (12345), not a string: the completion no longer validates against the contract',
    proves: ['core.completion.schema'],
    completion: (c) => ({ ...c, system_fingerprint: 12345 }),
  },
  {
    id: 'core.object-wrong',
    description: 'object is "chat.completion.chunk" in a non-streamed answer',
    proves: ['core.object', 'core.completion.schema'],
    completion: (c) => ({ ...c, object: 'chat.completion.chunk' }),
  },
  {
    id: 'core.id-empty',
    description: 'id is an empty string',
    proves: ['core.id', 'core.completion.schema'],
    completion: (c) => ({ ...c, id: '' }),
  },
  {
    id: 'core.created-ms',
    description: 'created is in milliseconds (Date.now()), not seconds',
    proves: ['core.created-seconds'],
    completion: (c) => ({ ...c, created: typeof c.created === 'number' ? c.created * 1000 + 123 : Date.now() }),
  },
  {
    id: 'core.model-missing',
    description: 'the completion has no model field',
    proves: ['core.model.present', 'core.completion.schema'],
    completion: ({ model: _model, ...rest }) => rest,
  },
  {
    id: 'core.model-other',
    description: 'model names a different model than the one requested ("backend-llm-7b")',
    proves: ['core.model.matches-request'],
    completion: (c) => ({ ...c, model: 'backend-llm-7b' }),
  },
  {
    id: 'core.choices-empty',
    description: 'choices is an empty array in a non-streamed answer',
    proves: ['core.choices.non-empty', 'core.completion.schema'],
    completion: (c) => ({ ...c, choices: [] }),
  },
  {
    id: 'core.choices-index-1',
    description: 'choices are indexed from 1, not 0',
    proves: ['core.choices.indexed'],
    completion: (c) => mapChoices(c, (ch, i) => ({ ...ch, index: i + 1 })),
  },
  {
    id: 'core.message.role-wrong',
    description: 'message.role is "model" (Gemini\'s name), not "assistant"',
    proves: ['core.message.role-assistant', 'core.completion.schema'],
    completion: (c) => withMessage(c, (m) => ({ ...m, role: 'model' })),
  },
  {
    id: 'core.content-null',
    description: 'message.content is null in a plain text answer (no tool_calls, no refusal)',
    proves: ['core.message.content-string'],
    completion: (c) => withMessage(c, (m) => (typeof m.content === 'string' && !m.tool_calls ? { ...m, content: null } : m)),
  },
  {
    id: 'core.finish-reason-eos',
    description: 'finish_reason "stop" is sent as "eos" (a backend\'s own name)',
    proves: ['core.finish-reason.enum', 'core.completion.schema', 'core.stop.string', 'core.stop.array'],
    completion: (c) => mapChoices(c, (ch) => (ch.finish_reason === 'stop' ? { ...ch, finish_reason: 'eos' } : ch)),
  },
  {
    id: 'core.usage-missing',
    description: 'a non-streamed answer carries no usage',
    proves: ['core.usage.present'],
    completion: ({ usage: _usage, ...rest }) => rest,
  },
  {
    id: 'core.usage-wrong-total',
    description: 'usage.total_tokens is one more than prompt_tokens + completion_tokens',
    proves: ['core.usage.arithmetic'],
    completion: (c) => (isObject(c.usage) ? { ...c, usage: { ...c.usage, total_tokens: c.usage.total_tokens + 1 } } : c),
  },
  {
    id: 'core.reject-system',
    description: 'a system message is refused with 400 ("System role not supported", as some chat templates do)',
    proves: ['core.messages.system'],
    validate: (ctx, verdict) => verdict ?? (roles(ctx.request).includes('system') ? reject('System role not supported by this model.', 'messages[0].role') : null),
  },
  {
    id: 'core.developer-crash',
    description: 'a developer message makes the server fail with 500 (a chat template that does not know the role)',
    proves: ['core.messages.developer'],
    validate: (ctx, verdict) =>
      verdict ??
      (roles(ctx.request).includes('developer')
        ? { status: 500, body: errorBody("Internal server error: the chat template raised 'unknown role: developer'.", 'server_error', null, null) }
        : null),
  },
  {
    id: 'core.reject-history',
    description: 'a history with an assistant message is refused with 400 (only single-turn requests served)',
    proves: ['core.messages.multi-turn'],
    validate: (ctx, verdict) => verdict ?? (roles(ctx.request).includes('assistant') ? reject('Only one user message is supported.', 'messages') : null),
  },
  {
    id: 'core.reject-temperature-2',
    description: 'temperature above 1 is refused with 400 (a backend whose range is 0 to 1)',
    proves: ['core.params.temperature'],
    validate: (ctx, verdict) =>
      verdict ?? (typeof ctx.request.temperature === 'number' && ctx.request.temperature > 1 ? reject('temperature must be between 0 and 1.', 'temperature') : null),
  },
  {
    id: 'core.reject-top-p',
    description: 'top_p is refused with 400 as an unrecognized argument',
    proves: ['core.params.top-p'],
    validate: (ctx, verdict) => verdict ?? ('top_p' in ctx.request ? reject('Unrecognized request argument supplied: top_p', 'top_p', 'unknown_parameter') : null),
  },
  {
    id: 'core.reject-seed',
    description: 'seed is refused with 400 as an unrecognized argument',
    proves: ['core.params.seed'],
    validate: (ctx, verdict) => verdict ?? ('seed' in ctx.request ? reject('Unrecognized request argument supplied: seed', 'seed', 'unknown_parameter') : null),
  },
  {
    id: 'core.reject-penalties',
    description: 'negative frequency_penalty / presence_penalty are refused with 400 (a backend whose range is 0 to 2)',
    proves: ['core.params.penalties'],
    validate: (ctx, verdict) => {
      if (verdict) return verdict;
      for (const p of ['frequency_penalty', 'presence_penalty']) {
        if (typeof ctx.request[p] === 'number' && ctx.request[p] < 0) return reject(`${p} must be between 0 and 2.`, p);
      }
      return null;
    },
  },
  {
    id: 'core.reject-user',
    description: 'user is refused with 400 as an unrecognized argument',
    proves: ['core.params.user'],
    validate: (ctx, verdict) => verdict ?? ('user' in ctx.request ? reject('Unrecognized request argument supplied: user', 'user', 'unknown_parameter') : null),
  },
  {
    id: 'core.unknown-field-422',
    description: 'a top-level field the server does not know is refused with 422 and a FastAPI-style {"detail": [...]} body (strict validation, no OpenAI envelope)',
    proves: ['core.params.unknown-field'],
    validate: (ctx, verdict) => {
      if (verdict || !isObject(ctx.request)) return verdict;
      const unknown = Object.keys(ctx.request).find((k) => !KNOWN_REQUEST_FIELDS.has(k));
      if (!unknown) return null;
      return { status: 422, body: { detail: [{ type: 'extra_forbidden', loc: ['body', unknown], msg: 'Extra inputs are not permitted', input: ctx.request[unknown] }] } };
    },
  },
  {
    id: 'core.max-tokens-ignored',
    description: 'max_tokens is ignored (the answer runs to its natural end)',
    proves: ['core.max-tokens.length', 'stream.finish-length'],
    request: ({ max_tokens: _m, ...rest }) => rest,
  },
  {
    id: 'core.max-completion-tokens-ignored',
    description: 'max_completion_tokens is ignored (the answer runs to its natural end)',
    proves: ['core.max-completion-tokens'],
    request: ({ max_completion_tokens: _m, ...rest }) => rest,
  },
  {
    id: 'core.stop-ignored',
    description: 'stop is ignored in non-streamed requests',
    proves: ['core.stop.string', 'core.stop.array'],
    request: (req) => {
      if (req.stream === true || !('stop' in req)) return req;
      const { stop: _s, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'core.stop-array-first-only',
    description: 'of a stop array only the first string is honoured',
    proves: ['core.stop.array'],
    request: (req) => (Array.isArray(req.stop) && req.stop.length > 1 ? { ...req, stop: req.stop[0] } : req),
  },
];

// ------------------------------------------------------------------------------------------------
// streaming

function pauseParam(value: string): string | null {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 600_000 ? null : 'expected milliseconds, an integer from 0 to 600000';
}

const streamFaults: Fault[] = [
  {
    id: 'stream.framing-junk-line',
    description: 'a line that is not an SSE field ({"debug": …} without "data:") is written after the first event',
    proves: ['stream.framing'],
    plan: (plan) => {
      if (!isEventStream(plan.headers)) return plan;
      const at = eventWrites(plan)[0];
      if (at === undefined) return plan;
      const writes = [...plan.writes];
      writes.splice(at + 1, 0, { delayMs: 0, bytes: utf8('{"debug": "queue=0 tokens=1"}\n\n') });
      return { ...plan, writes };
    },
  },
  {
    id: 'stream.event-field',
    description: 'every event is named with an "event: completion.chunk" line',
    proves: ['stream.no-event-field'],
    plan: (plan) => (isEventStream(plan.headers) ? mapWriteText(plan, (t) => (t.startsWith('data:') ? `event: completion.chunk\n${t}` : t)) : plan),
  },
  {
    id: 'stream.event-not-json',
    description: 'one content event in the middle of the stream carries truncated JSON',
    proves: ['stream.events-json', 'stream.chunk.schema'],
    events: (events) => {
      const content = events.map((e, i) => (isChunk(e) && contentOf(e.chunk) ? i : -1)).filter((i) => i >= 0);
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
    proves: ['stream.chunk.schema'],
    events: (events) => {
      const at = finishIndex(events);
      if (at < 0) return events;
      const out = [...events];
      const chunk = (events[at] as { chunk: Chunk }).chunk;
      out[at] = { kind: 'chunk', chunk: { ...chunk, choices: chunk.choices.map(({ delta: _d, ...rest }: Json) => rest) } };
      return out;
    },
  },
  {
    id: 'stream.object-wrong',
    description: 'chunks carry object "chat.completion" instead of "chat.completion.chunk"',
    proves: ['stream.object', 'stream.chunk.schema'],
    events: (events) => mapChunks(events, (c) => ({ ...c, object: 'chat.completion' })),
  },
  {
    id: 'stream.id-changes',
    description: 'every chunk after the first carries a new id',
    proves: ['stream.same-id'],
    events: (events) => mapChunks(events, (c, i) => (i === 0 ? c : { ...c, id: `${c.id}-${i}` })),
  },
  {
    id: 'stream.created-changes',
    description: 'created is stamped per chunk and changes during the stream',
    proves: ['stream.same-created'],
    events: (events) => mapChunks(events, (c, i) => ({ ...c, created: c.created + Math.floor(i / 3) })),
  },
  {
    id: 'stream.model-changes',
    description: 'the first chunk names the requested model, later chunks the resolved snapshot',
    proves: ['stream.same-model'],
    events: (events) => mapChunks(events, (c, i) => (i === 0 ? c : { ...c, model: `${c.model}-2024-01-01` })),
  },
  {
    id: 'stream.created-ms',
    description: 'chunks carry created in milliseconds',
    proves: ['stream.created-seconds'],
    events: (events) => mapChunks(events, (c) => ({ ...c, created: c.created * 1000 + 123 })),
  },
  {
    id: 'stream.no-role',
    description: 'no delta carries role "assistant"',
    proves: ['stream.first-delta-role'],
    events: (events) =>
      mapChunkChoices(events, (ch) => {
        if (!isObject(ch.delta) || !('role' in ch.delta)) return ch;
        const { role: _r, ...delta } = ch.delta;
        return { ...ch, delta };
      }),
  },
  {
    id: 'stream.empty-content',
    description: 'every content delta is an empty string (the text is lost)',
    proves: ['stream.content-concatenates'],
    events: (events) =>
      mapChunkChoices(events, (ch) => (isObject(ch.delta) && typeof ch.delta.content === 'string' ? { ...ch, delta: { ...ch.delta, content: '' } } : ch)),
  },
  {
    id: 'stream.no-finish-reason',
    description: 'no chunk carries a finish_reason (the stream just ends)',
    proves: ['stream.finish-reason.once', 'stream.finish-length', 'stream.finish-stop', 'stream.stop-sequence'],
    events: (events) => mapChunkChoices(events, (ch) => (ch.finish_reason != null ? { ...ch, finish_reason: null } : ch)),
  },
  {
    id: 'stream.content-after-finish',
    description: 'a content chunk follows the finish_reason chunk of choice 0',
    proves: ['stream.finish-reason.last'],
    events: (events) => {
      const at = finishIndex(events);
      if (at < 0) return events;
      const chunk = (events[at] as { chunk: Chunk }).chunk;
      const extra: Chunk = { ...chunk, choices: [{ index: chunk.choices[0]?.index ?? 0, delta: { content: ' (continued)' }, logprobs: null, finish_reason: null }] };
      const out = [...events];
      out.splice(at + 1, 0, { kind: 'chunk', chunk: extra });
      return out;
    },
  },
  {
    id: 'stream.finish-reason-eos',
    description: 'the streamed finish_reason "stop" is sent as "eos"',
    proves: ['stream.finish-reason.enum', 'stream.chunk.schema', 'stream.finish-stop', 'stream.stop-sequence'],
    events: (events) => mapChunkChoices(events, (ch) => (ch.finish_reason === 'stop' ? { ...ch, finish_reason: 'eos' } : ch)),
  },
  {
    id: 'stream.data-after-done',
    description: 'a copy of the last chunk is sent after data: [DONE]',
    proves: ['stream.done-last'],
    events: (events) => {
      const last = [...events].reverse().find(isChunk);
      return last ? [...events, { kind: 'chunk', chunk: last.chunk }] : events;
    },
  },
  {
    id: 'stream.buffered',
    description: 'the whole stream is buffered and written at once at the end (a buffering proxy)',
    proves: ['stream.incremental'],
    plan: (plan) => {
      if (!isEventStream(plan.headers) || plan.writes.length < 2) return plan;
      const delay = plan.writes.reduce((sum, w) => sum + w.delayMs, 0);
      return { ...plan, writes: [{ delayMs: delay, bytes: concatBytes(plan.writes.map((w) => w.bytes)) }] };
    },
  },
  {
    id: 'stream.pause-mid',
    description: 'the stream pauses once, in the middle, for the given milliseconds (default 700)',
    proves: ['stream.metrics.gaps'],
    param: { description: 'the pause in milliseconds', check: pauseParam },
    plan: (plan, ctx) => {
      if (!isEventStream(plan.headers)) return plan;
      const events = eventWrites(plan);
      const at = events[Math.floor(events.length / 2)];
      if (at === undefined || events.length < 2) return plan;
      const ms = ctx.param !== undefined ? Number(ctx.param) : 700;
      const writes = plan.writes.map((w, i) => (i === at ? { ...w, delayMs: w.delayMs + ms } : w));
      return { ...plan, writes };
    },
  },
  {
    id: 'stream.single-chunk',
    description: 'the whole text of choice 0 comes in one content chunk (pseudo-streaming)',
    proves: ['stream.metrics.throughput'],
    events: (events) => {
      const content = events.map((e, i) => (isChunk(e) && contentOf(e.chunk) !== undefined && e.chunk.choices[0].index === 0 ? i : -1)).filter((i) => i >= 0);
      if (content.length < 2) return events;
      const text = content.map((i) => contentOf((events[i] as { chunk: Chunk }).chunk)).join('');
      const first = (events[content[0]] as { chunk: Chunk }).chunk;
      const merged: Chunk = { ...first, choices: [{ ...first.choices[0], delta: { ...first.choices[0].delta, content: text } }] };
      const drop = new Set(content.slice(1));
      return events.flatMap((e, i) => (i === content[0] ? [{ kind: 'chunk' as const, chunk: merged }] : drop.has(i) ? [] : [e]));
    },
  },
  {
    id: 'stream.length-as-stop',
    description: 'a streamed answer cut by max_tokens finishes with "stop" instead of "length"',
    proves: ['stream.finish-length'],
    events: (events) => mapChunkChoices(events, (ch) => (ch.finish_reason === 'length' ? { ...ch, finish_reason: 'stop' } : ch)),
  },
  {
    id: 'stream.stop-as-length',
    description: 'a streamed answer that ends on its own finishes with "length" instead of "stop"',
    proves: ['stream.finish-stop', 'stream.stop-sequence'],
    events: (events) => mapChunkChoices(events, (ch) => (ch.finish_reason === 'stop' ? { ...ch, finish_reason: 'length' } : ch)),
  },
  {
    id: 'stream.stop-ignored',
    description: 'stop is ignored in streamed requests',
    proves: ['stream.stop-sequence'],
    request: (req) => {
      if (req.stream !== true || !('stop' in req)) return req;
      const { stop: _s, ...rest } = req;
      return rest;
    },
  },
];

// ------------------------------------------------------------------------------------------------
// stream-usage

function usageOfEvents(events: StreamEvent[]): Json | undefined {
  const e = events.find(isUsageChunk) as { chunk: Chunk } | undefined;
  return e?.chunk.usage;
}

const streamUsageFaults: Fault[] = [
  {
    id: 'stream-usage.missing',
    description: 'stream_options.include_usage is ignored: no usage chunk is sent',
    proves: ['stream-usage.chunk-present'],
    events: (events) => events.filter((e) => !isUsageChunk(e)),
  },
  {
    id: 'stream-usage.on-finish-chunk',
    description: 'the usage rides on the finish chunk (with its choice) instead of a chunk with choices: []',
    proves: ['stream-usage.choices-empty'],
    events: (events) => {
      const usage = usageOfEvents(events);
      if (!usage) return events;
      const kept = events.filter((e) => !isUsageChunk(e));
      const at = finishIndex(kept);
      if (at < 0) return events;
      const chunk = (kept[at] as { chunk: Chunk }).chunk;
      kept[at] = { kind: 'chunk', chunk: { ...chunk, usage } };
      return kept;
    },
  },
  {
    id: 'stream-usage.on-every-chunk',
    description: 'every content chunk carries a running usage object, not null',
    proves: ['stream-usage.only-final'],
    events: (events) => {
      const usage = usageOfEvents(events);
      if (!usage) return events;
      let generated = 0;
      return mapChunks(events, (c) => {
        if (!Array.isArray(c.choices) || c.choices.length === 0) return c;
        if (contentOf(c)) generated++;
        return { ...c, usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: generated, total_tokens: usage.prompt_tokens + generated } };
      });
    },
  },
  {
    id: 'stream-usage.early',
    description: 'the usage chunk is sent right after the first chunk, before the content and the finish_reason',
    proves: ['stream-usage.last-before-done'],
    events: (events) => {
      const at = events.findIndex(isUsageChunk);
      if (at < 0) return events;
      const out = [...events];
      const [usage] = out.splice(at, 1);
      out.splice(1, 0, usage);
      return out;
    },
  },
  {
    id: 'stream-usage.counts-as-strings',
    description: 'the streamed usage carries its token counts as strings',
    proves: ['stream-usage.schema', 'stream-usage.arithmetic'],
    events: (events) =>
      events.map((e) =>
        isUsageChunk(e)
          ? {
              kind: 'chunk',
              chunk: {
                ...(e as { chunk: Chunk }).chunk,
                usage: Object.fromEntries(
                  Object.entries((e as { chunk: Chunk }).chunk.usage).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
                ),
              },
            }
          : e,
      ),
  },
  {
    id: 'stream-usage.bad-total',
    description: 'the streamed usage.total_tokens is one more than prompt_tokens + completion_tokens',
    proves: ['stream-usage.arithmetic'],
    events: (events) =>
      events.map((e) => {
        if (!isUsageChunk(e)) return e;
        const chunk = (e as { chunk: Chunk }).chunk;
        return { kind: 'chunk', chunk: { ...chunk, usage: { ...chunk.usage, total_tokens: chunk.usage.total_tokens + 1 } } };
      }),
  },
  {
    id: 'stream-usage.zero-counts',
    description: 'the streamed usage reports zero tokens everywhere',
    proves: ['stream-usage.counts-plausible'],
    events: (events) =>
      events.map((e) => {
        if (!isUsageChunk(e)) return e;
        const chunk = (e as { chunk: Chunk }).chunk;
        return { kind: 'chunk', chunk: { ...chunk, usage: { ...chunk.usage, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } } };
      }),
  },
  {
    id: 'stream-usage.always',
    description: 'the usage chunk is sent even without stream_options.include_usage',
    proves: ['stream-usage.absent-without-option'],
    request: (req) => (req.stream === true && req.stream_options === undefined ? { ...req, stream_options: { include_usage: true } } : req),
  },
];

// ------------------------------------------------------------------------------------------------
// errors

const SERVER_ERROR = { status: 500, body: errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null, null) };

/** Users poisoned by a 400 (errors.poison-after-400): their next request fails. */
const poisoned = new Set<string>();

function clampParam(name: string, max: number, min?: number) {
  return (req: ChatRequest): ChatRequest => {
    const v = req[name];
    if (typeof v !== 'number') return req;
    if (v > max) return { ...req, [name]: max };
    if (min !== undefined && v < min) return { ...req, [name]: min };
    return req;
  };
}

const errorFaults: Fault[] = [
  {
    id: 'errors.accept-bad-json',
    description: 'a body that is not valid JSON is answered as if it were an empty request (200)',
    proves: ['errors.malformed-json'],
    validate: (_ctx, verdict) => (verdict && (verdict as Verdict).stage === 'json' ? null : verdict),
  },
  {
    id: 'errors.accept-missing-messages',
    description: 'a request without messages is answered (200) instead of refused',
    proves: ['errors.missing-messages'],
    validate: (ctx, verdict) => (verdict && verdict.stage === 'contract' && isObject(ctx.request) && !('messages' in ctx.request) ? null : verdict),
  },
  {
    id: 'errors.accept-empty-messages',
    description: 'a request with messages: [] is answered (200) instead of refused',
    proves: ['errors.empty-messages'],
    validate: (ctx, verdict) => (verdict && Array.isArray(ctx.request?.messages) && ctx.request.messages.length === 0 ? null : verdict),
  },
  {
    id: 'errors.accept-invalid-role',
    description: 'messages with an unknown role are treated as user messages',
    proves: ['errors.invalid-role'],
    request: (req) => {
      if (!Array.isArray(req.messages)) return req;
      const known = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
      return { ...req, messages: req.messages.map((m: any) => (isObject(m) && typeof m.role === 'string' && !known.has(m.role) ? { ...m, role: 'user' } : m)) };
    },
  },
  {
    id: 'errors.accept-wrong-type',
    description: 'a temperature that is not a number is dropped silently',
    proves: ['errors.wrong-type'],
    request: (req) => {
      if (req.temperature === undefined || req.temperature === null || typeof req.temperature === 'number') return req;
      const { temperature: _t, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'errors.clamp-temperature',
    description: 'a temperature outside 0..2 is clamped silently',
    proves: ['errors.out-of-range.temperature', 'errors.stream-refused-before-start'],
    request: clampParam('temperature', 2, 0),
  },
  {
    id: 'errors.clamp-top-logprobs',
    description: 'a top_logprobs above 20 is clamped silently',
    proves: ['errors.out-of-range.top-logprobs'],
    request: clampParam('top_logprobs', 20, 0),
  },
  {
    id: 'errors.accept-unknown-tool-choice',
    description: 'a tool_choice naming a function that is not among the declared tools falls back to "auto"',
    proves: ['errors.tool-choice-unknown-function'],
    request: (req) => {
      const name = req.tool_choice?.function?.name;
      if (typeof name !== 'string') return req;
      if (!Array.isArray(req.tools) || req.tools.length === 0) return req;
      const names = req.tools.map((t: any) => t?.function?.name);
      return names.includes(name) ? req : { ...req, tool_choice: 'auto' };
    },
  },
  {
    id: 'errors.accept-invalid-tool-type',
    description: 'a tool of an unknown type is taken as a function',
    proves: ['errors.invalid-tool-type'],
    request: (req) =>
      Array.isArray(req.tools)
        ? { ...req, tools: req.tools.map((t: any) => (isObject(t) && t.type !== 'function' && t.type !== 'custom' ? { ...t, type: 'function' } : t)) }
        : req,
  },
  {
    id: 'errors.accept-invalid-json-schema',
    description: 'a response_format json_schema that is not a valid JSON Schema is ignored (plain text answer)',
    proves: ['errors.invalid-json-schema'],
    request: (req) => {
      const rf = req.response_format;
      if (!isObject(rf) || rf.type !== 'json_schema' || !isObject(rf.json_schema) || schemaProblem(rf.json_schema.schema) === null) return req;
      const { response_format: _rf, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'errors.accept-tool-choice-without-tools',
    description: 'a tool_choice ("required" or naming a function) in a request without tools is ignored instead of refused (a text answer)',
    proves: ['errors.tool-choice-without-tools'],
    validate: (ctx, verdict) =>
      verdict && verdict.stage === 'semantic' && isObject(ctx.request) && ctx.request.tool_choice !== undefined && !Array.isArray(ctx.request.tools) ? null : verdict,
  },
  {
    id: 'errors.server-error-for-bad-tool-type',
    description: 'a tool of an unknown type is answered with 500 (the tool parser throws), as llama.cpp does',
    proves: ['errors.bad-input-not-5xx', 'errors.invalid-tool-type'],
    validate: (ctx, verdict) =>
      isObject(ctx.request) && Array.isArray(ctx.request.tools) && ctx.request.tools.some((t: unknown) => isObject(t) && t.type !== 'function') ? SERVER_ERROR : verdict,
  },
  {
    id: 'errors.accept-stream-options',
    description: 'stream_options without stream is ignored instead of refused',
    proves: ['errors.stream-options-without-stream'],
    request: (req) => {
      if (req.stream === true || req.stream_options === undefined) return req;
      const { stream_options: _s, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'errors.poison-after-400',
    description: 'after a 4xx, the next request of the same user fails with 500 (state left broken by the error)',
    proves: ['errors.recovers-after-400'],
    validate: (ctx, verdict) => {
      const user = typeof ctx.request?.user === 'string' ? ctx.request.user : undefined;
      if (!user) return verdict;
      if (verdict && verdict.status >= 400 && verdict.status < 500) {
        poisoned.add(user);
        return verdict;
      }
      if (poisoned.delete(user)) return SERVER_ERROR;
      return verdict;
    },
  },
  {
    id: 'errors.unknown-model-served',
    description: 'a request for an unknown model is served by the default model (200)',
    proves: ['errors.unknown-model.refused', 'errors.unknown-model.404'],
    validate: (ctx, verdict) => (verdict && (verdict as Verdict).stage === 'model' && ctx.route !== 'model' ? null : verdict),
  },
  {
    id: 'errors.unknown-model-400',
    description: 'an unknown model is refused with 400 and no code, instead of 404 model_not_found',
    proves: ['errors.unknown-model.404'],
    validate: (ctx, verdict) =>
      verdict && (verdict as Verdict).stage === 'model' && ctx.route !== 'model'
        ? reject(`Invalid model: ${String(ctx.request?.model ?? '')}`.trim(), 'model', null)
        : verdict,
  },
  {
    id: 'errors.envelope-flat',
    description: 'error bodies are {"error": "message"} (a string, as Ollama and older llama.cpp send), not the envelope',
    proves: [
      'errors.envelope',
      'errors.malformed-json',
      'errors.missing-messages',
      'errors.empty-messages',
      'errors.invalid-role',
      'errors.wrong-type',
      'errors.out-of-range.temperature',
      'errors.out-of-range.top-logprobs',
      'errors.tool-choice-unknown-function',
      'errors.tool-choice-without-tools',
      'errors.invalid-tool-type',
      'errors.invalid-json-schema',
      'errors.stream-options-without-stream',
      'errors.unknown-model.refused',
      'errors.unknown-model.404',
      'errors.stream-refused-before-start',
    ],
    validate: (_ctx, verdict) => {
      if (!verdict) return verdict;
      const message = (verdict.body as any)?.error?.message;
      return { ...verdict, body: { error: typeof message === 'string' ? message : 'error' } };
    },
  },
  {
    id: 'errors.content-type-text',
    description: 'error responses are sent with content-type text/plain (the body is still JSON)',
    proves: ['errors.content-type-json'],
    plan: (plan) => (plan.status >= 400 ? setHeader(plan, 'content-type', 'text/plain; charset=utf-8') : plan),
  },
  {
    id: 'errors.stream-error-in-band',
    description: 'an invalid streaming request gets a 200 event stream carrying the error as an event',
    proves: ['errors.stream-refused-before-start'],
    plan: (plan, ctx) => {
      if (ctx.stream !== true || plan.status < 400 || plan.status >= 500) return plan;
      const body = planJson(plan) ?? errorBody('invalid request', 'invalid_request_error');
      const bytes = utf8(`data: ${JSON.stringify(body)}\n\ndata: [DONE]\n\n`);
      return {
        ...plan,
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
        writes: [{ delayMs: 0, bytes }],
        ending: 'end',
      };
    },
  },
];

// ------------------------------------------------------------------------------------------------
// models

function modelRouteBody(plan: ResponsePlan): Json | undefined {
  const body = planJson(plan);
  return isObject(body) ? body : undefined;
}

const modelFaults: Fault[] = [
  {
    id: 'models.list-broken',
    description: 'GET /models answers {"object": "models", "data": […]} (object is not "list")',
    proves: ['models.list.schema'],
    plan: (plan, ctx) => {
      const body = ctx.route === 'models' && plan.status === 200 ? modelRouteBody(plan) : undefined;
      return body ? replaceJson(plan, 200, { ...body, object: 'models' }) : plan;
    },
  },
  {
    id: 'models.unlisted',
    description: 'GET /models does not list the default model (mock-gpt), which is still served',
    proves: ['models.list.includes-model'],
    plan: (plan, ctx) => {
      const body = ctx.route === 'models' && plan.status === 200 ? modelRouteBody(plan) : undefined;
      if (!body || !Array.isArray(body.data)) return plan;
      return replaceJson(plan, 200, { ...body, data: body.data.filter((m: Json) => m?.id !== 'mock-gpt') });
    },
  },
  {
    id: 'models.retrieve-broken',
    description: 'GET /models/{id} answers object "engine" instead of "model"',
    proves: ['models.retrieve.schema'],
    plan: (plan, ctx) => {
      const body = ctx.route === 'model' && plan.status === 200 ? modelRouteBody(plan) : undefined;
      return body ? replaceJson(plan, 200, { ...body, object: 'engine' }) : plan;
    },
  },
  {
    id: 'models.retrieve-wrong-id',
    description: 'GET /models/{id} answers the model under another id (a resolved snapshot name)',
    proves: ['models.retrieve.id-matches'],
    plan: (plan, ctx) => {
      const body = ctx.route === 'model' && plan.status === 200 ? modelRouteBody(plan) : undefined;
      return body ? replaceJson(plan, 200, { ...body, id: `${body.id}-2024-01-01` }) : plan;
    },
  },
  {
    id: 'models.unknown-found',
    description: 'GET /models/{id} answers 200 with a made-up model object for any id',
    proves: ['models.retrieve.unknown-404'],
    plan: (plan, ctx) => {
      if (ctx.route !== 'model' || plan.status !== 404) return plan;
      const message = String((planJson(plan) as any)?.error?.message ?? '');
      const id = /'([^']+)'|`([^`]+)`|"([^"]+)"/.exec(message);
      return replaceJson(plan, 200, { id: id?.[1] ?? id?.[2] ?? id?.[3] ?? 'unknown', object: 'model', created: 1704067200, owned_by: 'oai-compat' });
    },
  },
];

// ------------------------------------------------------------------------------------------------
// auth

function isAuthVerdict(verdict: Verdict | null): boolean {
  return !!verdict && verdict.stage === 'auth';
}

const authFaults: Fault[] = [
  {
    id: 'auth.accept-missing-key',
    description: 'a request without any key is served',
    proves: ['auth.missing-key', 'auth.models-require-key'],
    validate: (ctx, verdict) => (isAuthVerdict(verdict) && !hasKey(ctx) ? null : verdict),
  },
  {
    id: 'auth.accept-any-key',
    description: 'any key is accepted (the key is not checked, only its presence)',
    proves: ['auth.wrong-key'],
    validate: (ctx, verdict) => (isAuthVerdict(verdict) && hasKey(ctx) ? null : verdict),
  },
  {
    id: 'auth.no-error-code',
    description: 'the 401 for a wrong key carries code null instead of invalid_api_key',
    proves: ['auth.wrong-key-code'],
    validate: (_ctx, verdict) => {
      if (!verdict || !isAuthVerdict(verdict)) return verdict;
      const error = (verdict.body as any)?.error ?? {};
      return { ...verdict, body: { error: { ...error, code: null } } };
    },
  },
  {
    id: 'auth.models-open',
    description: 'GET /models answers without a key',
    proves: ['auth.models-require-key'],
    validate: (ctx, verdict) => (isAuthVerdict(verdict) && (ctx.route === 'models' || ctx.route === 'model') ? null : verdict),
  },
  {
    id: 'auth.health-requires-key',
    description: 'GET /health answers 401 without a key',
    proves: ['auth.health-open'],
    plan: (plan, ctx) => {
      // /health has no route of its own in FaultContext: act only outside the API routes
      if (ctx.route === 'chat' || ctx.route === 'models' || ctx.route === 'model') return plan;
      if (hasKey(ctx) || plan.status !== 200) return plan;
      const body = planJson(plan);
      if (!isObject(body) || !('status' in body || 'ok' in body)) return plan;
      return replaceJson(plan, 401, errorBody("You didn't provide an API key.", 'invalid_request_error', null, 'invalid_api_key'));
    },
  },
];

export const coreContractFaults: Fault[] = [...coreFaults, ...streamFaults, ...streamUsageFaults, ...errorFaults, ...modelFaults, ...authFaults];
