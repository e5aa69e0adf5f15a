// Faults for suites/checks/stream-usage.ts: where the usage chunk goes, what it carries, and when
// it is sent at all.
import type { Chunk, StreamEvent } from '../../types.ts';
import { finishIndex, isChunk, isUsageChunk, moveEvent, onChunks, type ContractFault, type Json } from './helpers.ts';

function usageOf(events: StreamEvent[]): Json | undefined {
  const e = events.find(isUsageChunk);
  return e && isChunk(e) ? e.chunk.usage : undefined;
}

/** The usage chunk's usage rewritten by `fn`. */
function editUsage(fn: (usage: Json) => Json): ContractFault['events'] {
  return (events) => events.map((e) => (isChunk(e) && isUsageChunk(e) ? { kind: 'chunk', chunk: { ...e.chunk, usage: fn(e.chunk.usage) } } : e));
}

export const streamUsageFaults: ContractFault[] = [
  {
    id: 'stream-usage.missing',
    description: 'stream_options.include_usage is ignored: no usage chunk is sent',
    events: (events) => events.filter((e) => !isUsageChunk(e)),
  },
  {
    id: 'stream-usage.on-finish-chunk',
    description: 'the usage rides on the finish chunk (with its choice) instead of a chunk with choices: []',
    events: (events) => {
      const usage = usageOf(events);
      const kept = events.filter((e) => !isUsageChunk(e));
      const at = finishIndex(kept);
      if (!usage || at < 0) return events;
      return kept.with(at, { kind: 'chunk', chunk: { ...(kept[at] as { chunk: Chunk }).chunk, usage } });
    },
  },
  {
    id: 'stream-usage.on-every-chunk',
    description: 'every content chunk carries a running usage object, not null',
    events: (events) => {
      const usage = usageOf(events);
      if (!usage) return events;
      let generated = 0;
      return onChunks(events, (chunks) => {
        for (const c of chunks) {
          if (!Array.isArray(c.choices) || c.choices.length === 0) continue;
          const content = c.choices[0]?.delta?.content;
          if (typeof content === 'string' && content !== '') generated++;
          c.usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: generated, total_tokens: usage.prompt_tokens + generated };
        }
      });
    },
  },
  {
    id: 'stream-usage.early',
    description: 'the usage chunk is sent right after the first chunk, before the content and the finish_reason',
    events: (events) => {
      const at = events.findIndex(isUsageChunk);
      return at < 0 ? events : moveEvent(events, at, 1);
    },
  },
  {
    id: 'stream-usage.counts-as-strings',
    description: 'the streamed usage carries its token counts as strings',
    alsoBreaks: ['stream-usage.arithmetic'],
    events: editUsage((usage) => Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]))),
  },
  {
    id: 'stream-usage.bad-total',
    description: 'the streamed usage.total_tokens is one more than prompt_tokens + completion_tokens',
    events: editUsage((usage) => ({ ...usage, total_tokens: usage.total_tokens + 1 })),
  },
  {
    id: 'stream-usage.zero-counts',
    description: 'the streamed usage reports zero tokens everywhere',
    events: editUsage((usage) => ({ ...usage, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })),
  },
  {
    id: 'stream-usage.always',
    description: 'the usage chunk is sent even without stream_options.include_usage',
    request: (req) => (req.stream === true && req.stream_options === undefined ? { ...req, stream_options: { include_usage: true } } : req),
  },
];
