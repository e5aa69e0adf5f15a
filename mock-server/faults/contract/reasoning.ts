// Faults for suites/checks/reasoning.ts: reasoning of the wrong type or field, inside content, the
// answer inside the reasoning, reasoning required back, reasoning after content in a stream.
import { isReasoner } from '../../models.ts';
import type { Chunk } from '../../types.ts';
import { choicesIn, hasChoice, isObject, onChunks, onMessage, refuseWhen, type ContractFault, type Json } from './helpers.ts';

function reasoningField(message: Json): Field | undefined {
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') return 'reasoning_content';
  if (typeof message.reasoning === 'string' && message.reasoning !== '') return 'reasoning';
}

/** Reasoning deltas of choice 0 (the delta objects and the field name). */
function reasoningDeltas(chunks: Chunk[]): { delta: Json; field: Field }[] {
  return choicesIn(chunks).flatMap((c) => {
    const field = (c.index ?? 0) === 0 && isObject(c.delta) ? reasoningField(c.delta) : undefined;
    return field ? [{ delta: c.delta, field }] : [];
  });
}

type Field = 'reasoning_content' | 'reasoning';

/** A completion hook that edits the first message's reasoning, when it has some. */
function onReasoning(edit: (message: Json, field: Field) => void): ContractFault['completion'] {
  return (c) =>
    onMessage(c, (m) => {
      const field = reasoningField(m);
      if (field) edit(m, field);
    });
}

export const reasoningFaults: ContractFault[] = [
  {
    id: 'reasoning.not-a-string',
    description: 'Reasoning arrives as an array of parts ([{"type":"text","text":...}]) instead of a string (stream and non-stream).',
    completion: onReasoning((m, field) => (m[field] = [{ type: 'text', text: m[field] }])),
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const { delta, field } of reasoningDeltas(chunks)) delta[field] = [{ type: 'text', text: delta[field] }];
      }),
  },
  {
    id: 'reasoning.renamed',
    description: 'Reasoning arrives in message.thinking instead of reasoning_content or reasoning (non-stream).',
    completion: onReasoning((m, field) => {
      m.thinking = m[field];
      delete m[field];
    }),
  },
  {
    id: 'reasoning.think-in-content',
    description: 'Reasoning is put into content inside <think>…</think> instead of a reasoning field (stream and non-stream).',
    completion: onReasoning((m, field) => {
      m.content = `<think>${m[field]}</think>${typeof m.content === 'string' ? m.content : ''}`;
      delete m[field];
    }),
    events: (events) =>
      onChunks(events, (chunks) => {
        const deltas = reasoningDeltas(chunks);
        deltas.forEach(({ delta, field }, i) => {
          delta.content = `${i === 0 ? '<think>' : ''}${delta[field]}${i === deltas.length - 1 ? '</think>' : ''}`;
          delete delta[field];
        });
      }),
  },
  {
    id: 'reasoning.all-in-reasoning',
    description: 'The answer is appended to the reasoning and content is null (non-stream).',
    completion: onReasoning((m, field) => {
      m[field] = `${m[field]}\n${typeof m.content === 'string' ? m.content : ''}`;
      m.content = null;
    }),
  },
  {
    id: 'reasoning.require-reasoning-back',
    description: 'For the reasoning model, an earlier assistant text turn without reasoning_content is refused with a 400.',
    validate: refuseWhen(
      (req) =>
        typeof req.model === 'string' &&
        isReasoner(req.model) &&
        Array.isArray(req.messages) &&
        req.messages.some((m: unknown) => isObject(m) && m.role === 'assistant' && typeof m.content === 'string' && !m.tool_calls && m.reasoning_content === undefined),
      "Missing required parameter: 'messages[].reasoning_content' (assistant turns must carry their reasoning).",
      'messages',
      'missing_required_parameter',
    ),
  },
  {
    id: 'reasoning.stream-interleaved',
    description: 'In a stream, the first content delta comes before the last reasoning delta.',
    events: (events) => {
      // swap the event of the last reasoning delta with the event of the first content delta
      const lastReasoning = events.findLastIndex((e) => hasChoice(e, (c) => isObject(c.delta) && !!reasoningField(c.delta)));
      const firstContent = events.findIndex((e) => hasChoice(e, (c) => typeof c.delta?.content === 'string' && c.delta.content !== ''));
      if (lastReasoning < 0 || firstContent < 0 || firstContent < lastReasoning) return events;
      return events.with(lastReasoning, events[firstContent]).with(firstContent, events[lastReasoning]);
    },
  },
];
