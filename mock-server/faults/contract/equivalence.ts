// Faults for suites/checks/equivalence.ts: a seeded stream that differs from the same answer not
// streamed (text, finish_reason, usage, tool-call arguments).
import type { Chunk } from '../../types.ts';
import { byCallIndex, choicesIn, contentDeltas, fragments, hasSeed, isObject, isStream, onChunks, parseObject, rewriteArguments, type ContractFault, type Json } from './helpers.ts';

/** An events hook that edits the chunks of seeded streams (the requests the equivalence checks send). */
function seededStream(edit: (chunks: Chunk[]) => void): ContractFault['events'] {
  return (events, ctx) => (isStream(ctx.request, ctx) && hasSeed(ctx.request) ? onChunks(events, edit) : events);
}

/** Change the first string value of an object (keeps it valid for a plain string property). */
function changeFirstString(value: Json): Json {
  const out = { ...value };
  const key = Object.keys(out).find((k) => typeof out[k] === 'string');
  if (key === undefined) out.changed = true;
  else out[key] = out[key] === 'Lyon' ? 'Marseille' : 'Lyon';
  return out;
}

export const equivalenceFaults: ContractFault[] = [
  {
    id: 'equivalence.stream-text-differs',
    description: 'A seeded stream\'s text differs from the non-stream answer: its last content delta gains a word.',
    events: seededStream((chunks) => {
      const last = contentDeltas(chunks).at(-1);
      if (last) last.content += ' indeed';
    }),
  },
  {
    id: 'equivalence.stream-finish-differs',
    description: 'A seeded stream ends with the other finish_reason ("stop" ↔ "length") than the non-stream answer.',
    events: seededStream((chunks) => {
      for (const c of choicesIn(chunks)) {
        if (c.finish_reason === 'stop') c.finish_reason = 'length';
        else if (c.finish_reason === 'length') c.finish_reason = 'stop';
      }
    }),
  },
  {
    id: 'equivalence.stream-usage-differs',
    description: 'A seeded stream\'s usage counts one completion token more than the non-stream answer (total adjusted).',
    events: seededStream((chunks) => {
      for (const { usage } of chunks) {
        if (!isObject(usage)) continue;
        usage.completion_tokens = Number(usage.completion_tokens ?? 0) + 1;
        usage.total_tokens = Number(usage.total_tokens ?? 0) + 1;
      }
    }),
  },
  {
    id: 'equivalence.stream-args-differ',
    description: 'A seeded stream\'s tool-call arguments differ from the non-stream answer (a string value changes).',
    events: seededStream((chunks) => {
      for (const refs of byCallIndex(fragments(chunks)).values()) {
        rewriteArguments(refs, (args) => {
          const parsed = parseObject(args);
          return parsed ? JSON.stringify(changeFirstString(parsed)) : args;
        });
      }
    }),
  },
];
