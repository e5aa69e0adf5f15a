// Faults for suites/checks/logprobs.ts: logprobs dropped, of the wrong shape, not matching the
// content, missing in streams, sent when not asked for.
import type { Completion } from '../../types.ts';
import { choicesIn, eachChoice, editCompletion, isStream, onChunks, without, type ContractFault, type Json } from './helpers.ts';

/** A copy with `fn` applied to the first choice's logprobs entries, when there are any. */
function onLogprobEntries(c: Completion, fn: (entries: Json[]) => void): Completion {
  const entries = c?.choices?.[0]?.logprobs?.content;
  return Array.isArray(entries) && entries.length > 0 ? editCompletion(c, (out) => fn(out.choices[0].logprobs.content)) : c;
}

export const logprobsFaults: ContractFault[] = [
  {
    id: 'logprobs.dropped',
    description: 'logprobs and top_logprobs are dropped from non-stream requests: choices[].logprobs comes back null.',
    request: (req, ctx) => {
      const top = req.top_logprobs;
      const validTop = top === undefined || top === null || (Number.isInteger(top) && top >= 0 && top <= 20);
      return isStream(req, ctx) || req.logprobs !== true || !validTop ? req : without(without(req, 'logprobs'), 'top_logprobs');
    },
  },
  {
    id: 'logprobs.positive',
    description: 'logprobs.content[].logprob values are positive (non-stream; top_logprobs untouched).',
    completion: (c) => onLogprobEntries(c, (entries) => entries.forEach((e) => (e.logprob = Math.abs(Number(e.logprob) || 0) + 0.25))),
  },
  {
    id: 'logprobs.bytes-not-ints',
    description: 'logprobs.content[].bytes is the token text instead of an array of byte values (non-stream).',
    completion: (c) => onLogprobEntries(c, (entries) => entries.forEach((e) => (e.bytes = String(e.token)))),
  },
  {
    id: 'logprobs.top-count-wrong',
    description: 'Each logprobs entry carries one top_logprobs alternative whatever top_logprobs asked for (non-stream).',
    completion: (c) =>
      onLogprobEntries(c, (entries) => entries.forEach((e) => (e.top_logprobs = (Array.isArray(e.top_logprobs) ? e.top_logprobs : []).slice(0, 1)))),
  },
  {
    id: 'logprobs.tokens-mismatch',
    description: 'The logprobs tokens do not spell the content: the first token is changed (non-stream).',
    completion: (c) =>
      onLogprobEntries(c, (entries) => {
        entries[0].token = `${entries[0].token}~`;
        entries[0].bytes = [...new TextEncoder().encode(entries[0].token)];
      }),
  },
  {
    id: 'logprobs.stream-missing',
    description: 'Streamed chunks carry no logprobs although logprobs: true was sent.',
    events: (events, ctx) => (ctx.request?.logprobs === true ? onChunks(events, (chunks) => choicesIn(chunks).forEach((c) => 'logprobs' in c && (c.logprobs = null))) : events),
  },
  {
    id: 'logprobs.always',
    description: 'Non-stream answers carry logprobs although logprobs was not requested.',
    completion: (c, ctx) => {
      if (ctx.request?.logprobs === true) return c;
      return eachChoice(c, (choice) => {
        const text = typeof choice.message?.content === 'string' ? choice.message.content : '';
        choice.logprobs = { content: [{ token: text, logprob: -0.01, bytes: [...new TextEncoder().encode(text)], top_logprobs: [] }], refusal: null };
      });
    },
  },
];
