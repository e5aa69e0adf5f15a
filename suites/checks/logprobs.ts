// Log probabilities: requested, they come back per token with the right shape (also in streams);
// not requested, they stay out of the answer.
import { choicesOf, isObject, messageOf, okJson, okStream, show, viewStream } from './feature-helpers.ts';
import type { Check, Exchange, RequestSpec, Validator } from './types.ts';
import { chat } from './validators.ts';

const TOP = 2;
const LP: RequestSpec = { body: chat('Say hello in five words.', { logprobs: true, top_logprobs: TOP }) };
const LP_STREAM: RequestSpec = { body: chat('Say hello in five words.', { logprobs: true, top_logprobs: TOP, stream: true }) };
const PLAIN: RequestSpec = { body: chat() };

type Entry = Record<string, any>;

/** choices[0].logprobs.content as an array, or a skip. */
function entriesOf(x: Exchange): { entries: Entry[] } | { skip: string } {
  const content = choicesOf(x)[0]?.logprobs?.content;
  if (!Array.isArray(content) || content.length === 0) return { skip: `prerequisite failed: choices[0].logprobs.content is ${show(content)} (see logprobs.present)` };
  return { entries: content };
}

function withEntries(judge: (entries: Entry[], x: Exchange, out: { notes: Record<string, unknown> }) => string | undefined): Validator {
  return (x, _ctx, out) => {
    const got = entriesOf(x);
    if ('skip' in got) return got;
    return judge(got.entries, x, out);
  };
}

function logprobProblem(value: unknown, where: string): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${where}.logprob is ${show(value)}, not a finite number`;
  if (value > 0) return `${where}.logprob is ${value}, above 0 (a log probability is at most 0)`;
}

function bytesProblem(value: unknown, where: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) return `${where}.bytes is ${show(value)}, not an array of integers or null`;
  const bad = value.findIndex((b) => !Number.isInteger(b) || b < 0 || b > 255);
  if (bad >= 0) return `${where}.bytes[${bad}] is ${show(value[bad])}, not an integer 0..255`;
}

export const logprobsChecks: Check[] = [
  {
    id: 'logprobs.present',
    level: 'MUST',
    capability: 'logprobs',
    title: 'logprobs: true returns choices[0].logprobs.content',
    requirement: 'With logprobs: true, each choice "must carry logprobs.content, one entry per output token".',
    fault: 'logprobs.dropped',
    request: LP,
    validate: [
      okJson,
      (x, _ctx, out) => {
        const lp = choicesOf(x)[0]?.logprobs;
        if (lp === undefined || lp === null) return `choices[0].logprobs is ${show(lp)} although logprobs: true was sent`;
        if (!isObject(lp)) return `choices[0].logprobs is ${show(lp)}, not an object`;
        if (!Array.isArray(lp.content)) return `choices[0].logprobs.content is ${show(lp.content)}, not an array`;
        if (lp.content.length === 0 && typeof messageOf(x)?.content === 'string' && messageOf(x)!.content !== '') {
          return 'choices[0].logprobs.content is empty although the message has content';
        }
        out.metrics.tokens = lp.content.length;
      },
    ],
  },
  {
    id: 'logprobs.token-shape',
    level: 'MUST',
    capability: 'logprobs',
    title: 'Each logprobs entry has a string token and a logprob ≤ 0',
    requirement: 'Each logprobs.content entry "must have token (string) and logprob (a number at most 0)".',
    fault: 'logprobs.positive',
    request: LP,
    validate: [
      okJson,
      withEntries((entries) => {
        for (const [i, e] of entries.entries()) {
          const where = `choices[0].logprobs.content[${i}]`;
          if (!isObject(e)) return `${where} is ${show(e)}, not an object`;
          if (typeof e.token !== 'string') return `${where}.token is ${show(e.token)}, not a string`;
          const p = logprobProblem(e.logprob, where);
          if (p) return p;
        }
      }),
    ],
  },
  {
    id: 'logprobs.bytes',
    level: 'MUST',
    capability: 'logprobs',
    title: 'Each logprobs entry has bytes as an integer array or null',
    requirement: 'Each logprobs entry\'s bytes "must be an array of byte values (0..255) or null".',
    fault: 'logprobs.bytes-not-ints',
    request: LP,
    validate: [
      okJson,
      withEntries((entries) => {
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
    ],
  },
  {
    id: 'logprobs.top-logprobs',
    level: 'MUST',
    capability: 'logprobs',
    title: `top_logprobs: ${TOP} gives ${TOP} alternatives per token`,
    requirement: `With top_logprobs: ${TOP}, each entry "must carry top_logprobs, a list of ${TOP} alternatives with token and logprob".`,
    fault: 'logprobs.top-count-wrong',
    request: LP,
    validate: [
      okJson,
      withEntries((entries) => {
        for (const [i, e] of entries.entries()) {
          const where = `choices[0].logprobs.content[${i}]`;
          const top = e?.top_logprobs;
          if (!Array.isArray(top)) return `${where}.top_logprobs is ${show(top)}, not an array`;
          if (top.length !== TOP) return `${where}.top_logprobs has ${top.length} entries, not ${TOP} (top_logprobs: ${TOP} was sent)`;
          for (const [j, t] of top.entries()) {
            if (typeof t?.token !== 'string') return `${where}.top_logprobs[${j}].token is ${show(t?.token)}, not a string`;
            const p = logprobProblem(t?.logprob, `${where}.top_logprobs[${j}]`);
            if (p) return p;
          }
        }
      }),
    ],
  },
  {
    id: 'logprobs.tokens-match-content',
    level: 'SHOULD',
    capability: 'logprobs',
    title: 'The logprobs tokens concatenate to the content',
    requirement: 'The tokens of logprobs.content, concatenated, "should equal message.content".',
    fault: 'logprobs.tokens-mismatch',
    request: LP,
    validate: [
      okJson,
      withEntries((entries, x, out) => {
        const content = messageOf(x)?.content;
        if (typeof content !== 'string') return undefined;
        const joined = entries.map((e) => (typeof e?.token === 'string' ? e.token : '')).join('');
        out.notes.tokens = joined;
        if (joined !== content) return `the ${entries.length} tokens concatenate to ${show(joined, 100)}, but message.content is ${show(content, 100)}`;
      }),
    ],
  },
  {
    id: 'logprobs.stream',
    level: 'MUST',
    capability: 'logprobs',
    title: 'Streamed chunks carry logprobs with their content',
    requirement: 'With logprobs: true and stream: true, every chunk that carries content "must carry choices[].logprobs.content for it".',
    fault: 'logprobs.stream-missing',
    request: LP_STREAM,
    validate: [
      okStream,
      (x, _ctx, out) => {
        const choice = viewStream(x).choices.get(0);
        if (!choice || choice.content.length === 0) return 'the stream carried no content deltas for choice 0';
        if (choice.contentWithoutLogprobs.length > 0) {
          return `${choice.contentWithoutLogprobs.length} of ${choice.content.length} content chunks carry no logprobs (first: event ${choice.contentWithoutLogprobs[0]})`;
        }
        let tokens = 0;
        for (const { event, value } of choice.logprobs) {
          const content = (value as any)?.content;
          if (!Array.isArray(content)) return `event ${event}: choices[0].logprobs.content is ${show(content)}, not an array`;
          for (const [i, e] of content.entries()) {
            if (typeof e?.token !== 'string') return `event ${event}: logprobs.content[${i}].token is ${show(e?.token)}, not a string`;
            const p = logprobProblem(e?.logprob, `event ${event}: logprobs.content[${i}]`);
            if (p) return p;
          }
          tokens += content.length;
        }
        out.metrics.tokens = tokens;
      },
    ],
  },
  {
    id: 'logprobs.absent-when-not-requested',
    level: 'SHOULD',
    capability: 'logprobs',
    title: 'Without logprobs: true, no logprobs come back',
    requirement: 'Without logprobs: true, choices[].logprobs "should be null or absent".',
    fault: 'logprobs.always',
    request: PLAIN,
    validate: [
      okJson,
      (x) => {
        for (const [i, c] of choicesOf(x).entries()) {
          if (c?.logprobs !== undefined && c.logprobs !== null) return `choices[${i}].logprobs is ${show(c.logprobs, 100)} although logprobs was not requested`;
        }
      },
    ],
  },
];
