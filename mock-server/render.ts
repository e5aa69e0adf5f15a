// An Answer (synth.ts) as a chat.completion object, or as the chat.completion.chunk events of a
// stream: per choice a first delta with role "assistant", then reasoning_content deltas, content
// deltas (one per token) or tool-call fragments (id, type and name first with empty arguments, then
// the arguments in pieces, every fragment with its index), then an empty delta carrying the one
// finish_reason. Choices are interleaved round-robin. With include_usage every chunk has
// `usage: null` and a last chunk has `choices: []` and the usage; then `data: [DONE]`.
import type { Answer, ChoicePlan } from './synth.ts';
import type { Chunk, Completion, StreamEvent } from './types.ts';

export function renderCompletion(a: Answer): Completion {
  return {
    id: a.id,
    object: 'chat.completion',
    created: a.created,
    model: a.model,
    choices: a.choices.map((c) => {
      const message: Record<string, unknown> = {
        role: 'assistant',
        content: c.content === null ? null : c.content.join(''),
        refusal: null,
      };
      if (c.reasoning.length > 0) message.reasoning_content = c.reasoning.join('');
      if (c.toolCalls.length > 0) {
        message.tool_calls = c.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } }));
      }
      return {
        index: c.index,
        message,
        logprobs: c.logprobs === null ? null : { content: c.content === null ? null : c.logprobs, refusal: null },
        finish_reason: c.finishReason,
      };
    }),
    usage: a.usage,
    system_fingerprint: a.systemFingerprint,
  };
}

function choiceDeltas(c: ChoicePlan, logprobs: boolean): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const none = { logprobs: null };
  const toolsOnly = c.content === null;
  out.push({ index: c.index, delta: { role: 'assistant', content: toolsOnly ? null : '', refusal: null }, ...none, finish_reason: null });
  for (const r of c.reasoning) out.push({ index: c.index, delta: { reasoning_content: r }, ...none, finish_reason: null });
  if (c.content) {
    c.content.forEach((token, i) => {
      const lp = logprobs ? { logprobs: { content: c.logprobs ? [c.logprobs[i]] : [], refusal: null } } : none;
      out.push({ index: c.index, delta: { content: token }, ...lp, finish_reason: null });
    });
  }
  c.toolCalls.forEach((t, index) => {
    out.push({
      index: c.index,
      delta: { tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] },
      ...none,
      finish_reason: null,
    });
    for (const fragment of t.fragments) {
      out.push({ index: c.index, delta: { tool_calls: [{ index, function: { arguments: fragment } }] }, ...none, finish_reason: null });
    }
  });
  out.push({ index: c.index, delta: {}, ...none, finish_reason: c.finishReason });
  return out;
}

export function renderEvents(a: Answer): StreamEvent[] {
  const head = { id: a.id, object: 'chat.completion.chunk', created: a.created, model: a.model, system_fingerprint: a.systemFingerprint };
  const perChoice = a.choices.map((c) => choiceDeltas(c, a.logprobs));
  const events: StreamEvent[] = [];
  const longest = Math.max(0, ...perChoice.map((d) => d.length));
  for (let step = 0; step < longest; step++) {
    for (const deltas of perChoice) {
      const choice = deltas[step];
      if (!choice) continue;
      const chunk: Chunk = { ...head, choices: [choice] };
      if (a.includeUsage) chunk.usage = null;
      events.push({ kind: 'chunk', chunk });
    }
  }
  if (a.includeUsage) events.push({ kind: 'chunk', chunk: { ...head, choices: [], usage: a.usage } });
  events.push({ kind: 'data', data: '[DONE]' });
  return events;
}
