// n: several choices in one answer, told apart by index, each complete; streamed as well.
import { choicesOf, isObject, okJson, okStream, show, usageOf, viewStream, type StreamView } from './feature-helpers.ts';
import { eventsBeforeDone } from './stream-helpers.ts';
import type { Check, Exchange, Finding, RequestSpec } from './types.ts';
import { chat } from './validators.ts';

const N2: RequestSpec = { body: chat('Say hello in five words.', { n: 2 }) };
const N2_STREAM: RequestSpec = { body: chat('Say hello in five words.', { n: 2, stream: true }) };
/** Both choices cut by max_tokens: each used exactly that many tokens, so usage must count 2 × CUT_AT. */
const CUT_AT = 4;
const N2_CUT: RequestSpec = { body: chat('Count from 1 to 100, separated by commas.', { n: 2, max_tokens: CUT_AT }) };
const N2_STREAM_USAGE: RequestSpec = { body: chat('Say hello in five words.', { n: 2, stream: true, stream_options: { include_usage: true } }) };

function twoChoices(x: Exchange): { choices: Record<string, any>[] } | { skip: string } {
  const choices = choicesOf(x);
  if (choices.length !== 2) return { skip: `prerequisite failed: ${choices.length} choice(s) came back for n: 2 (see n.two-choices)` };
  return { choices };
}

/** The stream's choice indexes are exactly 0 and 1, or a skip. */
function twoStreamed(x: Exchange): { view: StreamView } | { skip: string } {
  const view = viewStream(x);
  const indexes = [...view.choices.keys()].sort((a, b) => a - b);
  if (indexes.length !== 2 || indexes[0] !== 0 || indexes[1] !== 1) {
    return { skip: `prerequisite failed: the stream's choice indexes are ${show(indexes)}, not [0,1] (see n.stream.indexes)` };
  }
  return { view };
}

export const nChecks: Check[] = [
  {
    id: 'n.two-choices',
    level: 'MUST',
    capability: 'n',
    title: 'n: 2 gives exactly two choices (effect probe)',
    requirement: 'With n: 2, the answer "must carry exactly two choices" (one choice for an accepted n means n was ignored).',
    fault: 'n.ignored',
    request: N2,
    validate: [
      okJson,
      (x): Finding | undefined => {
        const count = choicesOf(x).length;
        if (count === 1) return { ignored: 'n: 2 was accepted but one choice came back' };
        if (count !== 2) return `n: 2 gave ${count} choices, not 2`;
      },
    ],
  },
  {
    id: 'n.indexes',
    level: 'MUST',
    capability: 'n',
    title: 'The two choices have indexes 0 and 1',
    requirement: 'With n: 2, the choices "must have index 0 and index 1", once each.',
    fault: 'n.duplicate-index',
    request: N2,
    validate: [
      okJson,
      (x) => {
        const got = twoChoices(x);
        if ('skip' in got) return got;
        const indexes = got.choices.map((c) => c?.index);
        const sorted = [...indexes].sort();
        if (sorted[0] !== 0 || sorted[1] !== 1) return `the choices have indexes ${show(indexes)}, not 0 and 1`;
      },
    ],
  },
  {
    id: 'n.each-complete',
    level: 'MUST',
    capability: 'n',
    title: 'Each of the n choices has a message and a finish_reason',
    requirement: 'With n: 2, "each choice must carry an assistant message and a finish_reason".',
    fault: 'n.second-choice-incomplete',
    request: N2,
    validate: [
      okJson,
      (x) => {
        const got = twoChoices(x);
        if ('skip' in got) return got;
        for (const [i, c] of got.choices.entries()) {
          if (!isObject(c?.message)) return `choices[${i}].message is ${show(c?.message)}, not an object`;
          if (c.message.role !== 'assistant') return `choices[${i}].message.role is ${show(c.message.role)}, not "assistant"`;
          if (typeof c.message.content !== 'string') return `choices[${i}].message.content is ${show(c.message.content)}, not a string`;
          if (typeof c.finish_reason !== 'string' || c.finish_reason === '') return `choices[${i}].finish_reason is ${show(c.finish_reason)}, not a string`;
        }
      },
    ],
  },
  {
    id: 'n.stream.indexes',
    level: 'MUST',
    capability: 'n',
    title: 'A streamed n: 2 carries chunks for index 0 and index 1',
    requirement: 'With n: 2 and stream: true, chunks "must carry choices with index 0 and index 1", so a client can tell them apart.',
    fault: 'n.stream-same-index',
    request: N2_STREAM,
    validate: [
      okStream,
      (x, _ctx, out): Finding | undefined => {
        const view = viewStream(x);
        if (view.choiceWithoutIndex.length > 0) return `event ${view.choiceWithoutIndex[0]}: a choice has no integer index`;
        const indexes = [...view.choices.keys()].sort((a, b) => a - b);
        out.notes.indexes = indexes;
        if (indexes.length === 1) {
          const only = view.choices.get(indexes[0])!;
          if (only.finishReasons.length > 1 || only.roles.length > 1) {
            return `every chunk has index ${indexes[0]}, which carries ${only.finishReasons.length} finish_reasons and ${only.roles.length} roles: the two choices are interleaved under one index`;
          }
          return { ignored: `n: 2 was accepted but the stream carried one choice (index ${indexes[0]})` };
        }
        if (indexes.length !== 2 || indexes[0] !== 0 || indexes[1] !== 1) return `the stream's choice indexes are ${show(indexes)}, not [0,1]`;
      },
    ],
  },
  {
    id: 'n.stream.finish-each',
    level: 'MUST',
    capability: 'n',
    title: 'Each streamed choice ends with exactly one finish_reason',
    requirement: 'With n: 2 and stream: true, "each index must receive exactly one finish_reason".',
    fault: 'n.stream-missing-finish',
    request: N2_STREAM,
    validate: [
      okStream,
      (x) => {
        const got = twoStreamed(x);
        if ('skip' in got) return got;
        for (const [index, choice] of got.view.choices) {
          if (choice.finishReasons.length !== 1) {
            return `choice index ${index} received ${choice.finishReasons.length} finish_reasons ${show(choice.finishReasons.map((f) => f.value))}, not exactly one`;
          }
        }
      },
    ],
  },
  {
    id: 'n.stream.role-each',
    level: 'SHOULD',
    capability: 'n',
    title: 'Each streamed choice announces role "assistant"',
    requirement: 'With n: 2 and stream: true, the first delta of each index "should carry role assistant".',
    fault: 'n.stream-role-once',
    request: N2_STREAM,
    validate: [
      okStream,
      (x) => {
        const got = twoStreamed(x);
        if ('skip' in got) return got;
        for (const [index, choice] of got.view.choices) {
          if (choice.roles.length === 0) return `no delta of choice index ${index} carries a role`;
          if (choice.roles[0].value !== 'assistant') return `the role of choice index ${index} is ${show(choice.roles[0].value)}, not "assistant"`;
        }
      },
    ],
  },
  {
    id: 'n.usage-counts-every-choice',
    level: 'SHOULD',
    capability: 'n',
    title: 'With n: 2, usage counts the tokens of every choice',
    requirement: 'usage.completion_tokens "should count the tokens of all choices": with n: 2 and both choices cut by max_tokens, at least twice max_tokens (billing and budgets read it).',
    fault: 'n.usage-one-choice',
    request: N2_CUT,
    validate: [
      okJson,
      (x, _ctx, out) => {
        const got = twoChoices(x);
        if ('skip' in got) return got;
        const used = usageOf(x)?.completion_tokens;
        if (typeof used !== 'number') return { skip: `prerequisite failed: usage.completion_tokens is ${show(used)} (see core.usage.present)` };
        // a choice cut by max_tokens used max_tokens tokens; any other used at least one
        const floor = got.choices.reduce((sum, c) => sum + (c?.finish_reason === 'length' ? CUT_AT : 1), 0);
        out.notes.usage = { completion_tokens: used, finish_reasons: got.choices.map((c) => c?.finish_reason), atLeast: floor };
        if (used < floor) {
          return `usage.completion_tokens is ${used}, but the two choices (finish_reason ${show(got.choices.map((c) => c?.finish_reason))}, max_tokens ${CUT_AT}) used at least ${floor}: only one choice was counted`;
        }
      },
    ],
  },
  {
    id: 'n.stream.usage-once',
    level: 'SHOULD',
    capability: 'n',
    title: 'With n: 2 and include_usage, one usage chunk after every choice finished',
    requirement: 'With n: 2 and stream_options.include_usage, the stream "should carry exactly one usage chunk, after every choice has received its finish_reason", so the usage covers the whole answer.',
    fault: 'n.stream-usage-early',
    request: N2_STREAM_USAGE,
    validate: [
      okStream,
      (x, _ctx, out) => {
        const got = twoStreamed(x);
        if ('skip' in got) return got;
        const events = eventsBeforeDone(x);
        const usageAt = events.flatMap((e, i) => (isObject(e.json) && isObject(e.json.usage) ? [i] : []));
        out.notes.usageEvents = usageAt;
        if (usageAt.length === 0) return { skip: 'prerequisite failed: the stream carried no usage chunk for include_usage (see stream-usage.chunk-present)' };
        if (usageAt.length > 1) return `the stream carried ${usageAt.length} chunks with usage (events ${show(usageAt)}), not one`;
        const lastFinish = Math.max(...[...got.view.choices.values()].map((c) => c.finishReasons[0]?.event ?? Number.POSITIVE_INFINITY));
        if (usageAt[0] < lastFinish) {
          return `the usage chunk (event ${usageAt[0]}) came before every choice had its finish_reason (the last at event ${Number.isFinite(lastFinish) ? lastFinish : 'never'})`;
        }
      },
    ],
  },
];
