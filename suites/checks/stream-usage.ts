// stream-usage: stream_options.include_usage — one final chunk with `choices: []` and the usage,
// after every choice finished and before [DONE]; usage null or absent everywhere else; nothing
// of the kind without the option.
import { isObject } from '../../lib/json.ts';
import type { UsageChunk } from '../../lib/assemble.ts';
import { completedStream, given, prerequisite, type Skip } from './support/gates.ts';
import { param, schema as contract } from './support/refs.ts';
import { STREAM, chat } from './support/requests.ts';
import { isAnnotationChunk, streamView, type StreamView } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { schemaProblem, usageArithmetic } from './support/validators.ts';
import { checksOf, type Exchange, type Finding, type RequestSpec, type Validator, type ValidatorOutput } from './types.ts';

/** The streamed request with include_usage that these checks judge. */
const USAGE_STREAM: RequestSpec = { body: chat(undefined, { stream: true, stream_options: { include_usage: true } }) };
const INCLUDE_USAGE = param('stream_options');

/** The chunk that carries the usage (the last one carrying it), or a SKIP. */
function usageChunk(x: Exchange): { u: UsageChunk; s: StreamView } | Skip {
  const s = streamView(x);
  const u = s.usageChunks.at(-1);
  return u ? { u, s } : prerequisite('no chunk carried usage', 'stream-usage.chunk-present');
}

/** A judge of the usage chunk of a completed stream with include_usage. */
function withUsage(judge: (u: UsageChunk, s: StreamView, out: ValidatorOutput) => Finding | undefined): Validator[] {
  return [completedStream, given(usageChunk, ({ u, s }, _x, out) => judge(u, s, out))];
}

/** A judge of the usage object itself (a SKIP when the usage chunk carries no object). */
function withUsageObject(judge: (usage: Record<string, any>, u: UsageChunk, s: StreamView, out: ValidatorOutput) => Finding | undefined, see?: string): Validator[] {
  return withUsage((u, s, out) => (isObject(u.usage) ? judge(u.usage, u, s, out) : prerequisite(`the usage is ${show(u.usage)}`, see)));
}

export const streamUsageChecks = checksOf('stream-usage', [
  { id: 'stream-usage.chunk-present', level: 'MUST', fault: 'stream-usage.missing', ref: INCLUDE_USAGE,
    title: 'With include_usage, a chunk carries the usage (effect probe)', requirement: 'With stream_options.include_usage true, the stream "must carry the usage in a chunk before data: [DONE]".',
    request: USAGE_STREAM, validate: [completedStream, (x, _ctx, out) => {
      const s = streamView(x);
      out.notes.usageChunks = s.usageChunks.map((u) => u.event);
      const u = s.usageChunks.at(-1);
      // accepted without effect: the stream is otherwise complete
      if (!u) return { ignored: `stream_options.include_usage was accepted without effect: no chunk before data: [DONE] carried a usage object (${s.events.length} chunks)` };
      if (!isObject(u.usage)) return `the usage of chunk ${u.event} is ${show(u.usage)}, not an object`;
    }],
  },
  { id: 'stream-usage.choices-empty', level: 'MUST', fault: 'stream-usage.on-finish-chunk', ref: contract('chat-completion-chunk', '/properties/choices'),
    title: 'The usage chunk has an empty choices array', requirement: 'The usage chunk "must have choices: [] (an empty array)"; clients that read choices[0] of every chunk rely on it being the only such chunk.',
    request: USAGE_STREAM, validate: withUsage((u) => {
      if (!Array.isArray(u.choices)) return `the usage chunk (event ${u.event}) has choices ${show(u.choices)}, not an empty array`;
      if (u.choices.length > 0) return `the usage chunk (event ${u.event}) has ${u.choices.length} choice(s), not choices: []: the usage rides on a content chunk`;
    }),
  },
  { id: 'stream-usage.only-final', level: 'MUST', fault: 'stream-usage.on-every-chunk', ref: contract('chat-completion-chunk', '/properties/usage'),
    title: 'Exactly one chunk carries usage; it is null or absent on the others', requirement: 'Exactly one chunk "must carry usage; on every other chunk usage must be null or absent".',
    request: USAGE_STREAM, validate: withUsage((_u, s, out) => {
      const at = s.usageChunks.map((u) => u.event);
      out.notes.usageChunks = at;
      if (at.length > 1) return `${at.length} chunks carry a non-null usage (events ${at.slice(0, 5).join(', ')}${at.length > 5 ? ', …' : ''}); only the final usage chunk may`;
    }),
  },
  { id: 'stream-usage.last-before-done', level: 'MUST', fault: 'stream-usage.early', ref: INCLUDE_USAGE,
    title: 'The usage chunk comes after every finish_reason, last before [DONE]', requirement: 'The usage chunk "must be the last chunk before data: [DONE]", after every choice has finished.',
    request: USAGE_STREAM, validate: withUsage((u, s) => {
      if (!s.done) return prerequisite('no data: [DONE] arrived', 'stream.done-sentinel');
      const lastFinish = Math.max(-1, ...s.choices.flatMap((c) => c.finishReasons.map((f) => f.event)));
      if (u.event < lastFinish) return `the usage chunk (event ${u.event}) comes before the finish_reason (event ${lastFinish}): usage must follow every choice's last chunk`;
      const after = s.events.slice(u.event + 1).filter((e) => !isAnnotationChunk(e.json)).length;
      if (after > 0) return `the usage chunk is event ${u.event}, but ${after} chunk(s) follow it before data: [DONE]`;
    }),
  },
  { id: 'stream-usage.schema', level: 'MUST', fault: 'stream-usage.counts-as-strings', ref: contract('usage'),
    title: 'The streamed usage validates against the usage schema', requirement: 'The streamed usage "must be a usage object as the contract defines it" (integer token counts).',
    request: USAGE_STREAM, validate: withUsage((u, _s, out) => {
      out.notes.usage = u.usage;
      return schemaProblem('usage', u.usage, `the usage of chunk ${u.event}`);
    }),
  },
  { id: 'stream-usage.arithmetic', level: 'MUST', fault: 'stream-usage.bad-total', ref: contract('usage', '/properties/total_tokens'),
    title: 'Streamed usage: total_tokens = prompt_tokens + completion_tokens', requirement: 'In the streamed usage, "total_tokens must equal prompt_tokens + completion_tokens".',
    request: USAGE_STREAM, validate: withUsageObject((usage, u) => usageArithmetic(usage, `chunk ${u.event} usage`), 'stream-usage.chunk-present'),
  },
  { id: 'stream-usage.counts-plausible', level: 'SHOULD', fault: 'stream-usage.zero-counts', ref: contract('usage'),
    title: 'Streamed usage counts the prompt and the streamed text', requirement: 'The streamed usage "should count the tokens really used": prompt_tokens > 0, and completion_tokens > 0 when text was streamed.',
    request: USAGE_STREAM, validate: withUsageObject((usage, _u, s, out) => {
      const text = s.choices.map((c) => c.content + c.reasoning).join('');
      out.notes.usage = usage;
      out.notes.streamedCharacters = text.length;
      if (!(Number(usage.prompt_tokens) > 0)) return `usage.prompt_tokens is ${show(usage.prompt_tokens)} for a non-empty prompt`;
      if (text.length > 0 && !(Number(usage.completion_tokens) > 0)) return `usage.completion_tokens is ${show(usage.completion_tokens)}, but ${text.length} characters were streamed`;
    }),
  },
  { id: 'stream-usage.absent-without-option', level: 'SHOULD', fault: 'stream-usage.always', ref: INCLUDE_USAGE,
    title: 'Without include_usage, no usage chunk', requirement: 'Without stream_options.include_usage, a stream "should carry no usage chunk" (clients that read choices[0] of every chunk break on choices: []).',
    request: STREAM, validate: [completedStream, (x) => {
      const s = streamView(x);
      const empty = s.events.findIndex((e) => isObject(e.json) && !isAnnotationChunk(e.json) && Array.isArray(e.json.choices) && e.json.choices.length === 0);
      if (empty >= 0) return `without include_usage, chunk ${empty} has choices: []${s.usageChunks.length > 0 ? ' and carries usage' : ''}`;
      if (s.usageChunks.length > 0) return `without include_usage, ${s.usageChunks.length} chunk(s) carry usage (first: event ${s.usageChunks[0].event})`;
    }],
  },
]);
