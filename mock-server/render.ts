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

// Delta objects are written as literals (not with spread): JSON.stringify is twice as fast on them.
function choiceDeltas(c: ChoicePlan, logprobs: boolean): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const i = c.index;
  const toolsOnly = c.content === null;
  out.push({ index: i, delta: { role: 'assistant', content: toolsOnly ? null : '', refusal: null }, logprobs: null, finish_reason: null });
  for (const r of c.reasoning) out.push({ index: i, delta: { reasoning_content: r }, logprobs: null, finish_reason: null });
  if (c.content) {
    c.content.forEach((token, k) => {
      const lp = logprobs ? { content: c.logprobs ? [c.logprobs[k]] : [], refusal: null } : null;
      out.push({ index: i, delta: { content: token }, logprobs: lp, finish_reason: null });
    });
  }
  c.toolCalls.forEach((t, index) => {
    out.push({ index: i, delta: { tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] }, logprobs: null, finish_reason: null });
    for (const fragment of t.fragments) {
      out.push({ index: i, delta: { tool_calls: [{ index, function: { arguments: fragment } }] }, logprobs: null, finish_reason: null });
    }
  });
  out.push({ index: i, delta: {}, logprobs: null, finish_reason: c.finishReason });
  return out;
}

/** The choice deltas in stream order: choices interleaved round-robin, one per chunk. */
function orderedDeltas(a: Answer): Record<string, unknown>[] {
  const perChoice = a.choices.map((c) => choiceDeltas(c, a.logprobs));
  const out: Record<string, unknown>[] = [];
  const longest = Math.max(0, ...perChoice.map((d) => d.length));
  for (let step = 0; step < longest; step++) {
    for (const deltas of perChoice) if (deltas[step]) out.push(deltas[step]);
  }
  return out;
}

function chunkHead(a: Answer) {
  return { id: a.id, object: 'chat.completion.chunk', created: a.created, model: a.model, system_fingerprint: a.systemFingerprint };
}

export function renderEvents(a: Answer): StreamEvent[] {
  const head = chunkHead(a);
  const events: StreamEvent[] = orderedDeltas(a).map((choice) => {
    const chunk: Chunk = { ...head, choices: [choice] };
    if (a.includeUsage) chunk.usage = null;
    return { kind: 'chunk', chunk };
  });
  if (a.includeUsage) events.push({ kind: 'chunk', chunk: { ...head, choices: [], usage: a.usage } });
  events.push({ kind: 'data', data: '[DONE]' });
  return events;
}

/**
 * The same stream as SSE text, one string per event: exactly what frameEvent() writes for each of
 * renderEvents(), made faster by serialising the chunk head once (the answers without faults).
 */
export function renderEventTexts(a: Answer): string[] {
  const head = JSON.stringify(chunkHead(a)).slice(0, -1);
  const tail = a.includeUsage ? ']' + ',"usage":null}\n\n' : ']}\n\n';
  const texts = orderedDeltas(a).map((choice) => `data: ${head},"choices":[${JSON.stringify(choice)}${tail}`);
  if (a.includeUsage) texts.push(`data: ${head},"choices":[],"usage":${JSON.stringify(a.usage)}}\n\n`);
  texts.push('data: [DONE]\n\n');
  return texts;
}
