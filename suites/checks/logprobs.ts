// Log probabilities: requested, they come back per token with the right shape (also in streams);
// not requested, they stay out of the answer.
import { isObject } from '../../lib/json.ts';
import { choicesOf, messageOf } from './support/completion.ts';
import { completion, parsedStream, given, prerequisite, type Skip } from './support/gates.ts';
import { param, schema as contract } from './support/refs.ts';
import { chat } from './support/requests.ts';
import { streamChoice } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { logprobProblem } from './support/validators.ts';
import { checksOf, type Exchange, type RequestSpec, type Validator, type ValidatorOutput } from './types.ts';

const TOP = 2;
const LP: RequestSpec = { body: chat('Say hello in five words.', { logprobs: true, top_logprobs: TOP }) };
const LP_STREAM: RequestSpec = { body: chat('Say hello in five words.', { logprobs: true, top_logprobs: TOP, stream: true }) };
const PLAIN: RequestSpec = { body: chat() };

type Entry = Record<string, any>;

/** choices[0].logprobs.content as a non-empty array, or a SKIP. */
function entriesOf(x: Exchange): Entry[] | Skip {
  const content = choicesOf(x)[0]?.logprobs?.content;
  return Array.isArray(content) && content.length > 0 ? content : prerequisite(`choices[0].logprobs.content is ${show(content)}`, 'logprobs.present');
}

/** A judge of the logprobs entries of a completion. */
function withEntries(judge: (entries: Entry[], x: Exchange, out: ValidatorOutput) => string | undefined): Validator[] {
  return completion(given(entriesOf, judge));
}

/** token (a string) and logprob (at most 0) of one entry or alternative. */
function tokenProblem(e: Entry | undefined, where: string): string | undefined {
  if (typeof e?.token !== 'string') return `${where}.token is ${show(e?.token)}, not a string`;
  return logprobProblem(e?.logprob, where);
}

function bytesProblem(value: unknown, where: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) return `${where}.bytes is ${show(value)}, not an array of integers or null`;
  const bad = value.findIndex((b) => !Number.isInteger(b) || b < 0 || b > 255);
  if (bad >= 0) return `${where}.bytes[${bad}] is ${show(value[bad])}, not an integer 0..255`;
}

export const logprobsChecks = checksOf('logprobs', [
  { id: 'logprobs.present', level: 'MUST', fault: 'logprobs.dropped', ref: param('logprobs'),
    title: 'logprobs: true returns choices[0].logprobs.content', requirement: 'With logprobs: true, each choice "must carry logprobs.content, one entry per output token".',
    request: LP, validate: completion((x, _ctx, out) => {
      const lp = choicesOf(x)[0]?.logprobs;
      if (lp === undefined || lp === null) return `choices[0].logprobs is ${show(lp)} although logprobs: true was sent`;
      if (!isObject(lp)) return `choices[0].logprobs is ${show(lp)}, not an object`;
      if (!Array.isArray(lp.content)) return `choices[0].logprobs.content is ${show(lp.content)}, not an array`;
      if (lp.content.length === 0 && typeof messageOf(x)?.content === 'string' && messageOf(x)!.content !== '') {
        return 'choices[0].logprobs.content is empty although the message has content';
      }
      out.metrics.tokens = lp.content.length;
    }),
  },
  { id: 'logprobs.token-shape', level: 'MUST', fault: 'logprobs.positive', ref: contract('logprobs', '/definitions/TokenLogprob'),
    title: 'Each logprobs entry has a string token and a logprob ≤ 0', requirement: 'Each logprobs.content entry "must have token (string) and logprob (a number at most 0)".',
    request: LP, validate: withEntries((entries) => {
      for (const [i, e] of entries.entries()) {
        const where = `choices[0].logprobs.content[${i}]`;
        const p = isObject(e) ? tokenProblem(e, where) : `${where} is ${show(e)}, not an object`;
        if (p) return p;
      }
    }),
  },
  { id: 'logprobs.bytes', level: 'MUST', fault: 'logprobs.bytes-not-ints', ref: contract('logprobs', '/definitions/TokenLogprob/properties/bytes'),
    title: 'Each logprobs entry has bytes as an integer array or null', requirement: 'Each logprobs entry\'s bytes "must be an array of byte values (0..255) or null".',
    request: LP, validate: withEntries((entries) => {
      for (const [i, e] of entries.entries()) {
        const where = `choices[0].logprobs.content[${i}]`;
        const p = bytesProblem(e?.bytes, where);
        if (p) return p;
        for (const [j, t] of (Array.isArray(e?.top_logprobs) ? e.top_logprobs : []).entries()) {
          const q = bytesProblem(t?.bytes, `${where}.top_logprobs[${j}]`);
          if (q) return q;
        }
      }
    }),
  },
  { id: 'logprobs.top-logprobs', level: 'MUST', fault: 'logprobs.top-count-wrong', ref: param('top_logprobs'),
    title: `top_logprobs: ${TOP} gives ${TOP} alternatives per token`, requirement: `With top_logprobs: ${TOP}, each entry "must carry top_logprobs, a list of ${TOP} alternatives with token and logprob".`,
    request: LP, validate: withEntries((entries) => {
      for (const [i, e] of entries.entries()) {
        const where = `choices[0].logprobs.content[${i}]`;
        const top = e?.top_logprobs;
        if (!Array.isArray(top)) return `${where}.top_logprobs is ${show(top)}, not an array`;
        if (top.length !== TOP) return `${where}.top_logprobs has ${top.length} entries, not ${TOP} (top_logprobs: ${TOP} was sent)`;
        const p = top.map((t, j) => tokenProblem(t, `${where}.top_logprobs[${j}]`)).find(Boolean);
        if (p) return p;
      }
    }),
  },
  { id: 'logprobs.tokens-match-content', level: 'SHOULD', fault: 'logprobs.tokens-mismatch', ref: contract('logprobs', '/properties/content'),
    title: 'The logprobs tokens concatenate to the content', requirement: 'The tokens of logprobs.content, concatenated, "should equal message.content".',
    request: LP, validate: withEntries((entries, x, out) => {
      const content = messageOf(x)?.content;
      if (typeof content !== 'string') return undefined;
      const joined = entries.map((e) => (typeof e?.token === 'string' ? e.token : '')).join('');
      out.notes.tokens = joined;
      if (joined !== content) return `the ${entries.length} tokens concatenate to ${show(joined, 100)}, but message.content is ${show(content, 100)}`;
    }),
  },
  { id: 'logprobs.stream', level: 'MUST', fault: 'logprobs.stream-missing', ref: param('logprobs'),
    title: 'Streamed chunks carry logprobs with their content', requirement: 'With logprobs: true and stream: true, every chunk that carries content "must carry choices[].logprobs.content for it".',
    request: LP_STREAM, validate: parsedStream((x, _ctx, out) => {
      const choice = streamChoice(x);
      if (!choice || choice.contentPieces.length === 0) return 'the stream carried no content deltas for choice 0';
      if (choice.contentWithoutLogprobs.length > 0) {
        return `${choice.contentWithoutLogprobs.length} of ${choice.contentPieces.length} content chunks carry no logprobs (first: event ${choice.contentWithoutLogprobs[0]})`;
      }
      let tokens = 0;
      for (const { event, value } of choice.logprobs) {
        const content = (value as any)?.content;
        if (!Array.isArray(content)) return `event ${event}: choices[0].logprobs.content is ${show(content)}, not an array`;
        const p = content.map((e, i) => tokenProblem(e, `event ${event}: logprobs.content[${i}]`)).find(Boolean);
        if (p) return p;
        tokens += content.length;
      }
      out.metrics.tokens = tokens;
    }),
  },
  { id: 'logprobs.absent-when-not-requested', level: 'SHOULD', fault: 'logprobs.always', ref: param('logprobs'),
    title: 'Without logprobs: true, no logprobs come back', requirement: 'Without logprobs: true, choices[].logprobs "should be null or absent".',
    request: PLAIN, validate: completion((x) => {
      for (const [i, c] of choicesOf(x).entries()) {
        if (c?.logprobs !== undefined && c.logprobs !== null) return `choices[${i}].logprobs is ${show(c.logprobs, 100)} although logprobs was not requested`;
      }
    }),
  },
]);
