// stream-usage: stream_options.include_usage — one final chunk with `choices: []` and the usage,
// after every choice finished and before [DONE]; usage null or absent everywhere else; nothing
// of the kind without the option.
import { usageArithmetic } from './core.ts';
import { STREAM } from './streaming.ts';
import { assembleStreamExchange, isAnnotationChunk, isObject, show, type StreamSummary, type UsageChunk } from './stream-helpers.ts';
import type { Check, Exchange, Finding, RequestSpec, Validator } from './types.ts';
import { chat, indent, streamCompleted } from './validators.ts';
import { formatIssues, validate } from '../../lib/validate.ts';

/** The streamed request with include_usage that these checks judge (sent once per worker). */
export const USAGE_STREAM: RequestSpec = { body: chat(undefined, { stream: true, stream_options: { include_usage: true } }) };

function withUsage(judge: (s: StreamSummary, x: Exchange, out: { notes: Record<string, unknown> }) => Finding | undefined): Validator[] {
  return [streamCompleted, (x, _ctx, out) => judge(assembleStreamExchange(x), x, out)];
}

/** The chunk that carries the usage (the last one carrying it), or a skip. */
function usageChunk(s: StreamSummary): UsageChunk | { skip: string } {
  const last = s.usageChunks[s.usageChunks.length - 1];
  return last ?? { skip: 'prerequisite failed: no chunk carried usage (see stream-usage.chunk-present)' };
}

export const streamUsageChecks: Check[] = [
  {
    id: 'stream-usage.chunk-present',
    level: 'MUST',
    capability: 'stream-usage',
    title: 'With include_usage, a chunk carries the usage (effect probe)',
    requirement: 'With stream_options.include_usage true, the stream "must carry the usage in a chunk before data: [DONE]".',
    fault: 'stream-usage.missing',
    request: USAGE_STREAM,
    validate: withUsage((s, _x, out) => {
      out.notes.usageChunks = s.usageChunks.map((u) => u.event);
      if (s.usageChunks.length === 0) {
        // accepted without effect: the stream is otherwise complete
        return { ignored: `stream_options.include_usage was accepted without effect: no chunk before data: [DONE] carried a usage object (${s.events.length} chunks)` };
      }
      const u = s.usageChunks[s.usageChunks.length - 1];
      if (!isObject(u.usage)) return `the usage of chunk ${u.event} is ${show(u.usage)}, not an object`;
    }),
  },
  {
    id: 'stream-usage.choices-empty',
    level: 'MUST',
    capability: 'stream-usage',
    title: 'The usage chunk has an empty choices array',
    requirement: 'The usage chunk "must have choices: [] (an empty array)"; clients that read choices[0] of every chunk rely on it being the only such chunk.',
    fault: 'stream-usage.on-finish-chunk',
    request: USAGE_STREAM,
    validate: withUsage((s) => {
      const u = usageChunk(s);
      if ('skip' in u) return u;
      if (!Array.isArray(u.choices)) return `the usage chunk (event ${u.event}) has choices ${show(u.choices)}, not an empty array`;
      if (u.choices.length > 0) return `the usage chunk (event ${u.event}) has ${u.choices.length} choice(s), not choices: []: the usage rides on a content chunk`;
    }),
  },
  {
    id: 'stream-usage.only-final',
    level: 'MUST',
    capability: 'stream-usage',
    title: 'Exactly one chunk carries usage; it is null or absent on the others',
    requirement: 'Exactly one chunk "must carry usage; on every other chunk usage must be null or absent".',
    fault: 'stream-usage.on-every-chunk',
    request: USAGE_STREAM,
    validate: withUsage((s, _x, out) => {
      out.notes.usageChunks = s.usageChunks.map((u) => u.event);
      if (s.usageChunks.length === 0) return { skip: 'prerequisite failed: no chunk carried usage (see stream-usage.chunk-present)' };
      if (s.usageChunks.length > 1) {
        const where = s.usageChunks.slice(0, 5).map((u) => u.event).join(', ');
        return `${s.usageChunks.length} chunks carry a non-null usage (events ${where}${s.usageChunks.length > 5 ? ', …' : ''}); only the final usage chunk may`;
      }
    }),
  },
  {
    id: 'stream-usage.last-before-done',
    level: 'MUST',
    capability: 'stream-usage',
    title: 'The usage chunk comes after every finish_reason, last before [DONE]',
    requirement: 'The usage chunk "must be the last chunk before data: [DONE]", after every choice has finished.',
    fault: 'stream-usage.early',
    request: USAGE_STREAM,
    validate: withUsage((s) => {
      const u = usageChunk(s);
      if ('skip' in u) return u;
      if (!s.done) return { skip: 'prerequisite failed: no data: [DONE] arrived (see stream.done-sentinel)' };
      const lastFinish = Math.max(-1, ...s.choices.flatMap((c) => c.finishReasons.map((f) => f.event)));
      if (u.event < lastFinish) return `the usage chunk (event ${u.event}) comes before the finish_reason (event ${lastFinish}): usage must follow every choice's last chunk`;
      const after = s.events.slice(u.event + 1).filter((e) => !isAnnotationChunk(e.json)).length;
      if (after > 0) return `the usage chunk is event ${u.event}, but ${after} chunk(s) follow it before data: [DONE]`;
    }),
  },
  {
    id: 'stream-usage.schema',
    level: 'MUST',
    capability: 'stream-usage',
    title: 'The streamed usage validates against the usage schema',
    requirement: 'The streamed usage "must be a usage object as the contract defines it" (integer token counts).',
    fault: 'stream-usage.counts-as-strings',
    request: USAGE_STREAM,
    validate: withUsage((s, _x, out) => {
      const u = usageChunk(s);
      if ('skip' in u) return u;
      out.notes.usage = u.usage;
      const r = validate('usage', u.usage);
      if (!r.ok) return `the usage of chunk ${u.event} does not validate as usage:\n${indent(formatIssues(r.errors))}`;
    }),
  },
  {
    id: 'stream-usage.arithmetic',
    level: 'MUST',
    capability: 'stream-usage',
    title: 'Streamed usage: total_tokens = prompt_tokens + completion_tokens',
    requirement: 'In the streamed usage, "total_tokens must equal prompt_tokens + completion_tokens".',
    fault: 'stream-usage.bad-total',
    request: USAGE_STREAM,
    validate: withUsage((s) => {
      const u = usageChunk(s);
      if ('skip' in u) return u;
      if (!isObject(u.usage)) return { skip: `prerequisite failed: the usage is ${show(u.usage)} (see stream-usage.chunk-present)` };
      return usageArithmetic(u.usage, `chunk ${u.event} usage`);
    }),
  },
  {
    id: 'stream-usage.counts-plausible',
    level: 'SHOULD',
    capability: 'stream-usage',
    title: 'Streamed usage counts the prompt and the streamed text',
    requirement: 'The streamed usage "should count the tokens really used": prompt_tokens > 0, and completion_tokens > 0 when text was streamed.',
    fault: 'stream-usage.zero-counts',
    request: USAGE_STREAM,
    validate: withUsage((s, _x, out) => {
      const u = usageChunk(s);
      if ('skip' in u) return u;
      if (!isObject(u.usage)) return { skip: `prerequisite failed: the usage is ${show(u.usage)}` };
      const text = s.choices.map((c) => c.content + c.reasoning).join('');
      out.notes.usage = u.usage;
      out.notes.streamedCharacters = text.length;
      if (!(Number(u.usage.prompt_tokens) > 0)) return `usage.prompt_tokens is ${show(u.usage.prompt_tokens)} for a non-empty prompt`;
      if (text.length > 0 && !(Number(u.usage.completion_tokens) > 0)) return `usage.completion_tokens is ${show(u.usage.completion_tokens)}, but ${text.length} characters were streamed`;
    }),
  },
  {
    id: 'stream-usage.absent-without-option',
    level: 'SHOULD',
    capability: 'stream-usage',
    title: 'Without include_usage, no usage chunk',
    requirement: 'Without stream_options.include_usage, a stream "should carry no usage chunk" (clients that read choices[0] of every chunk break on choices: []).',
    fault: 'stream-usage.always',
    request: STREAM,
    validate: [
      streamCompleted,
      (x) => {
        const s = assembleStreamExchange(x);
        const empty = s.events.findIndex((e) => isObject(e.json) && !isAnnotationChunk(e.json) && Array.isArray(e.json.choices) && e.json.choices.length === 0);
        if (empty >= 0) return `without include_usage, chunk ${empty} has choices: []${s.usageChunks.length > 0 ? ' and carries usage' : ''}`;
        if (s.usageChunks.length > 0) return `without include_usage, ${s.usageChunks.length} chunk(s) carry usage (first: event ${s.usageChunks[0].event})`;
      },
    ],
  },
];
