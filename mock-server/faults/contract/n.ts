// Faults for suites/checks/n.ts: n ignored, choices sharing an index, incomplete, miscounted usage,
// streamed choices missing their role or finish_reason, an early usage chunk.
import type { Chunk, Completion, FaultContext } from '../../types.ts';
import { choicesIn, editCompletion, hasChoice, isObject, isUsageChunk, moveEvent, onChunks, without, type ContractFault, type Json } from './helpers.ts';

function nOf(ctx: FaultContext): number {
  return typeof ctx.request?.n === 'number' ? ctx.request.n : 1;
}

/** With n > 1, every streamed choice entry edited by `fn`. */
function eachStreamedChoice(fn: (choice: Json) => void): ContractFault['events'] {
  return (events, ctx) => (nOf(ctx) > 1 ? onChunks(events, (chunks: Chunk[]) => choicesIn(chunks).forEach(fn)) : events);
}

/** With several choices, a copy edited by `fn`. */
function severalChoices(fn: (choices: Json[]) => void): ContractFault['completion'] {
  return (c: Completion) => (Array.isArray(c?.choices) && c.choices.length >= 2 ? editCompletion(c, (out) => fn(out.choices)) : c);
}

export const nFaults: ContractFault[] = [
  {
    id: 'n.ignored',
    description: 'n is dropped from the request: one choice comes back (stream and non-stream).',
    alsoBreaks: ['n.stream.indexes'],
    request: (req) => (!Number.isInteger(req.n) || req.n < 2 || req.n > 128 ? req : without(req, 'n')),
  },
  {
    id: 'n.duplicate-index',
    description: 'With n > 1, every choice has index 0 (non-stream).',
    completion: severalChoices((choices) => choices.forEach((choice) => (choice.index = 0))),
  },
  {
    id: 'n.second-choice-incomplete',
    description: 'With n > 1, the second choice has no finish_reason (null) (non-stream).',
    completion: severalChoices((choices) => (choices[1].finish_reason = null)),
  },
  {
    id: 'n.stream-same-index',
    description: 'With n > 1, every streamed choice has index 0 (the choices are interleaved under one index).',
    events: eachStreamedChoice((c) => (c.index = 0)),
  },
  {
    id: 'n.stream-missing-finish',
    description: 'With n > 1, the streamed choice index 1 never receives a finish_reason.',
    events: eachStreamedChoice((c) => c.index === 1 && c.finish_reason != null && (c.finish_reason = null)),
  },
  {
    id: 'n.usage-one-choice',
    description: 'With n > 1, usage.completion_tokens counts only the first choice (non-stream).',
    completion: (c, ctx) => {
      const n = nOf(ctx);
      if (n < 2 || !isObject(c?.usage) || typeof c.usage.completion_tokens !== 'number') return c;
      return editCompletion(c, (out) => {
        out.usage.completion_tokens = Math.ceil(out.usage.completion_tokens / n);
        out.usage.total_tokens = out.usage.prompt_tokens + out.usage.completion_tokens;
      });
    },
  },
  {
    id: 'n.stream-usage-early',
    description: 'With n > 1 and include_usage, the usage chunk comes right after choice 0 finishes, before choice 1 has its finish_reason.',
    events: (events, ctx) => {
      if (nOf(ctx) < 2) return events;
      const at = events.findIndex(isUsageChunk);
      const first = events.findIndex((e) => hasChoice(e, (c) => (c.index ?? 0) === 0 && !!c.finish_reason));
      return at < 0 || first < 0 || first > at ? events : moveEvent(events, at, first + 1);
    },
  },
  {
    id: 'n.stream-role-once',
    description: 'With n > 1, only the streamed choice index 0 announces role "assistant".',
    events: eachStreamedChoice((c) => (c.index ?? 0) > 0 && isObject(c.delta) && delete c.delta.role),
  },
];
