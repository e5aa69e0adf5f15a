// n: several choices in one answer, told apart by index, each complete; streamed as well.
import { isObject } from '../../lib/json.ts';
import { choicesOf, usageOf } from './support/completion.ts';
import { completion, parsedStream, given, prerequisite, type Skip } from './support/gates.ts';
import { param } from './support/refs.ts';
import { chat } from './support/requests.ts';
import { streamView, type StreamView } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { checksOf, type Exchange, type Finding, type RequestSpec } from './types.ts';

const N = param('n');
const N2: RequestSpec = { body: chat('Say hello in five words.', { n: 2 }) };
const N2_STREAM: RequestSpec = { body: chat('Say hello in five words.', { n: 2, stream: true }) };
/** Both choices cut by max_tokens: each used exactly that many tokens, so usage must count 2 × CUT_AT. */
const CUT_AT = 4;
const N2_CUT: RequestSpec = { body: chat('Count from 1 to 100, separated by commas.', { n: 2, max_tokens: CUT_AT }) };
const N2_STREAM_USAGE: RequestSpec = { body: chat('Say hello in five words.', { n: 2, stream: true, stream_options: { include_usage: true } }) };

/** The two choices of a completion for n: 2, or a SKIP. */
function twoChoices(x: Exchange): Record<string, any>[] | Skip {
  const choices = choicesOf(x);
  return choices.length === 2 ? choices : prerequisite(`${choices.length} choice(s) came back for n: 2`, 'n.two-choices');
}

/** A stream whose choice indexes are exactly 0 and 1, or a SKIP. */
function twoStreamed(x: Exchange): StreamView | Skip {
  const view = streamView(x);
  const indexes = view.choices.map((c) => c.index);
  if (indexes.length === 2 && indexes[0] === 0 && indexes[1] === 1) return view;
  return prerequisite(`the stream's choice indexes are ${show(indexes)}, not [0,1]`, 'n.stream.indexes');
}

export const nChecks = checksOf('n', [
  { id: 'n.two-choices', level: 'MUST', fault: 'n.ignored', ref: N,
    title: 'n: 2 gives exactly two choices (effect probe)', requirement: 'With n: 2, the answer "must carry exactly two choices" (one choice for an accepted n means n was ignored).',
    request: N2, validate: completion((x): Finding | undefined => {
      const count = choicesOf(x).length;
      if (count === 1) return { ignored: 'n: 2 was accepted but one choice came back' };
      if (count !== 2) return `n: 2 gave ${count} choices, not 2`;
    }),
  },
  { id: 'n.indexes', level: 'MUST', fault: 'n.duplicate-index', ref: N,
    title: 'The two choices have indexes 0 and 1', requirement: 'With n: 2, the choices "must have index 0 and index 1", once each.',
    request: N2, validate: completion(given(twoChoices, (choices) => {
      const indexes = choices.map((c) => c?.index);
      const sorted = [...indexes].sort();
      if (sorted[0] !== 0 || sorted[1] !== 1) return `the choices have indexes ${show(indexes)}, not 0 and 1`;
    })),
  },
  { id: 'n.each-complete', level: 'MUST', fault: 'n.second-choice-incomplete', ref: N,
    title: 'Each of the n choices has a message and a finish_reason', requirement: 'With n: 2, "each choice must carry an assistant message and a finish_reason".',
    request: N2, validate: completion(given(twoChoices, (choices) => {
      for (const [i, c] of choices.entries()) {
        if (!isObject(c?.message)) return `choices[${i}].message is ${show(c?.message)}, not an object`;
        if (c.message.role !== 'assistant') return `choices[${i}].message.role is ${show(c.message.role)}, not "assistant"`;
        if (typeof c.message.content !== 'string') return `choices[${i}].message.content is ${show(c.message.content)}, not a string`;
        if (typeof c.finish_reason !== 'string' || c.finish_reason === '') return `choices[${i}].finish_reason is ${show(c.finish_reason)}, not a string`;
      }
    })),
  },
  { id: 'n.stream.indexes', level: 'MUST', fault: 'n.stream-same-index', ref: N,
    title: 'A streamed n: 2 carries chunks for index 0 and index 1', requirement: 'With n: 2 and stream: true, chunks "must carry choices with index 0 and index 1", so a client can tell them apart.',
    request: N2_STREAM, validate: parsedStream((x, _ctx, out): Finding | undefined => {
      const view = streamView(x);
      if (view.choiceWithoutIndex.length > 0) return `event ${view.choiceWithoutIndex[0]}: a choice has no integer index`;
      const indexes = view.choices.map((c) => c.index);
      out.notes.indexes = indexes;
      if (indexes.length === 1) {
        const only = view.choices[0];
        if (only.finishReasons.length > 1 || only.roles.length > 1) {
          return `every chunk has index ${indexes[0]}, which carries ${only.finishReasons.length} finish_reasons and ${only.roles.length} roles: the two choices are interleaved under one index`;
        }
        return { ignored: `n: 2 was accepted but the stream carried one choice (index ${indexes[0]})` };
      }
      if (indexes.length !== 2 || indexes[0] !== 0 || indexes[1] !== 1) return `the stream's choice indexes are ${show(indexes)}, not [0,1]`;
    }),
  },
  { id: 'n.stream.finish-each', level: 'MUST', fault: 'n.stream-missing-finish', ref: N,
    title: 'Each streamed choice ends with exactly one finish_reason', requirement: 'With n: 2 and stream: true, "each index must receive exactly one finish_reason".',
    request: N2_STREAM, validate: parsedStream(given(twoStreamed, (view) => {
      const wrong = view.choices.find((c) => c.finishReasons.length !== 1);
      if (wrong) return `choice index ${wrong.index} received ${wrong.finishReasons.length} finish_reasons ${show(wrong.finishReasons.map((f) => f.value))}, not exactly one`;
    })),
  },
  { id: 'n.stream.role-each', level: 'SHOULD', fault: 'n.stream-role-once', ref: N,
    title: 'Each streamed choice announces role "assistant"', requirement: 'With n: 2 and stream: true, the first delta of each index "should carry role assistant".',
    request: N2_STREAM, validate: parsedStream(given(twoStreamed, (view) => {
      for (const { index, roles } of view.choices) {
        if (roles.length === 0) return `no delta of choice index ${index} carries a role`;
        if (roles[0].value !== 'assistant') return `the role of choice index ${index} is ${show(roles[0].value)}, not "assistant"`;
      }
    })),
  },
  { id: 'n.usage-counts-every-choice', level: 'SHOULD', fault: 'n.usage-one-choice', ref: N,
    title: 'With n: 2, usage counts the tokens of every choice', requirement: 'usage.completion_tokens "should count the tokens of all choices": with n: 2 and both choices cut by max_tokens, at least twice max_tokens (billing and budgets read it).',
    request: N2_CUT, validate: completion(given(twoChoices, (choices, x, out) => {
      const used = usageOf(x)?.completion_tokens;
      if (typeof used !== 'number') return prerequisite(`usage.completion_tokens is ${show(used)}`, 'core.usage.present');
      // a choice cut by max_tokens used max_tokens tokens; any other used at least one
      const floor = choices.reduce((sum, c) => sum + (c?.finish_reason === 'length' ? CUT_AT : 1), 0);
      const finishes = choices.map((c) => c?.finish_reason);
      out.notes.usage = { completion_tokens: used, finish_reasons: finishes, atLeast: floor };
      if (used < floor) return `usage.completion_tokens is ${used}, but the two choices (finish_reason ${show(finishes)}, max_tokens ${CUT_AT}) used at least ${floor}: only one choice was counted`;
    })),
  },
  { id: 'n.stream.usage-once', level: 'SHOULD', fault: 'n.stream-usage-early', ref: N,
    title: 'With n: 2 and include_usage, one usage chunk after every choice finished', requirement: 'With n: 2 and stream_options.include_usage, the stream "should carry exactly one usage chunk, after every choice has received its finish_reason", so the usage covers the whole answer.',
    request: N2_STREAM_USAGE, validate: parsedStream(given(twoStreamed, (view, _x, out) => {
      const usageAt = view.usageChunks.filter((u) => isObject(u.usage)).map((u) => u.event);
      out.notes.usageEvents = usageAt;
      if (usageAt.length === 0) return prerequisite('the stream carried no usage chunk for include_usage', 'stream-usage.chunk-present');
      if (usageAt.length > 1) return `the stream carried ${usageAt.length} chunks with usage (events ${show(usageAt)}), not one`;
      const lastFinish = Math.max(...view.choices.map((c) => c.finishReasons[0]?.event ?? Number.POSITIVE_INFINITY));
      if (usageAt[0] < lastFinish) {
        return `the usage chunk (event ${usageAt[0]}) came before every choice had its finish_reason (the last at event ${Number.isFinite(lastFinish) ? lastFinish : 'never'})`;
      }
    })),
  },
]);
