// Reasoning models: where the reasoning travels (reasoning_content or reasoning, never inside
// content), that it comes before the answer in a stream, and that a conversation can continue
// without sending the reasoning back. A model that does not reason is SKIPped, not failed.
//
// The model: REASONING_MODEL or the profile's reasoning-model when set (the run's model may not
// reason), else the run's model;
// against the embedded mock, its reasoning model `mock-reasoner`.
import { isObject } from '../../lib/json.ts';
import { firstChoice, messageOf } from './support/completion.ts';
import { completion, parsedStream, sendAccepted, unanswered } from './support/gates.ts';
import { deltaField, messageField, schema } from './support/refs.ts';
import { streamChoice } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { checksOf, type CheckContext, type Exchange, type Finding, type RequestSpec } from './types.ts';

const QUESTION = 'What is 17 * 23? Think it through, then answer with the number only.';
const REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;
/** fields some servers use instead, which clients do not read */
const OTHER_FIELDS = ['thinking', 'reasoning_text', 'reasoning_details', 'thoughts', 'think'];
const THINK_TAG = /<\/?(think|thinking|reasoning)>/i;

function reasoningModel(ctx: CheckContext): string {
  return ctx.config.reasoningModel || (ctx.config.mock ? 'mock-reasoner' : ctx.model);
}

function request(ctx: CheckContext, extra: Record<string, unknown> = {}): RequestSpec {
  return { body: { model: reasoningModel(ctx), messages: [{ role: 'user', content: QUESTION }], max_tokens: 512, ...extra } };
}

/** Which field of the message carries reasoning (one of the two standard ones, if any). */
function reasoningOf(message: Record<string, any> | undefined): { field: string; value: unknown } | undefined {
  if (!message) return undefined;
  for (const field of REASONING_FIELDS) {
    const v = message[field];
    if (v !== undefined && v !== null && v !== '') return { field, value: v };
  }
}

function otherField(message: Record<string, any> | undefined): string | undefined {
  if (!message) return undefined;
  return OTHER_FIELDS.find((f) => message[f] !== undefined && message[f] !== null && message[f] !== '');
}

const NO_REASONING = (model: string) => ({ skip: `the model ${model} did not reason (no reasoning_content or reasoning in the answer); set REASONING_MODEL (or reasoning-model in the profile) to a model that does` });

export const reasoningChecks = checksOf('reasoning', [
  { id: 'reasoning.field', level: 'MUST', fault: 'reasoning.not-a-string', ref: messageField('reasoning_content'),
    title: 'Reasoning, when present, is a string in reasoning_content or reasoning', requirement: 'A model\'s reasoning "must arrive as a string in message.reasoning_content or message.reasoning".',
    request: (ctx) => request(ctx), validate: completion((x, ctx, out) => {
      const got = reasoningOf(messageOf(x));
      if (!got) return NO_REASONING(reasoningModel(ctx));
      out.notes.field = got.field;
      if (typeof got.value !== 'string') return `choices[0].message.${got.field} is ${show(got.value)}, not a string`;
    }),
  },
  { id: 'reasoning.field-name', level: 'MAY', fault: 'reasoning.renamed', ref: messageField('reasoning'),
    title: 'Which field carries the reasoning', requirement: 'Reasoning "may arrive in reasoning_content (DeepSeek, vLLM, llama.cpp) or reasoning (OpenRouter, newer vLLM)"; other field names are not read by clients.',
    request: (ctx) => request(ctx), validate: completion((x, ctx, out) => {
      const message = messageOf(x);
      const got = reasoningOf(message);
      if (got) {
        out.notes.field = got.field;
        out.metrics.reasoningChars = typeof got.value === 'string' ? got.value.length : 0;
        const details = (x.json as any)?.usage?.completion_tokens_details?.reasoning_tokens;
        if (typeof details === 'number') out.metrics.reasoningTokens = details;
        return undefined;
      }
      const other = otherField(message);
      if (other) return `the reasoning arrives in choices[0].message.${other}, not in reasoning_content or reasoning, so clients do not see it`;
      return NO_REASONING(reasoningModel(ctx));
    }),
  },
  { id: 'reasoning.not-in-content', level: 'MUST', fault: 'reasoning.think-in-content', ref: messageField('content'),
    title: 'Reasoning is not inside content (no <think> tags)', requirement: 'The answer in message.content "must not contain the reasoning" (no <think>…</think> blocks).',
    request: (ctx) => request(ctx), validate: completion((x, ctx) => {
      const message = messageOf(x);
      const content = message?.content;
      if (typeof content === 'string' && THINK_TAG.test(content)) {
        return `choices[0].message.content contains a ${show(THINK_TAG.exec(content)![0])} tag: the reasoning is inside the answer (${show(content, 120)})`;
      }
      if (!reasoningOf(message) && !otherField(message)) return NO_REASONING(reasoningModel(ctx));
    }),
  },
  { id: 'reasoning.answer-in-content', level: 'SHOULD', fault: 'reasoning.all-in-reasoning', ref: messageField('content'),
    title: 'After the reasoning, the answer is in content', requirement: 'When a reasoning model finishes normally, message.content "should carry the answer" (not only the reasoning).',
    request: (ctx) => request(ctx), validate: completion((x, ctx) => {
      const message = messageOf(x);
      if (!reasoningOf(message)) return NO_REASONING(reasoningModel(ctx));
      const finish = firstChoice(x)?.finish_reason;
      if (finish !== 'stop') return { skip: `the answer ended with finish_reason ${show(finish)}, not "stop", so an empty content may be a budget matter` };
      if (typeof message?.content !== 'string' || message.content.trim() === '') {
        return `choices[0].message.content is ${show(message?.content)} after a finished reasoning: the answer is missing (it may have been put into the reasoning)`;
      }
    }),
  },
  { id: 'reasoning.round-trip', level: 'MUST', fault: 'reasoning.require-reasoning-back', ref: schema('message', '/definitions/AssistantMessage'),
    title: 'An assistant turn sent back without its reasoning is accepted', requirement: 'A conversation whose earlier assistant turn is sent back with content only (no reasoning) "must be accepted".',
    async run(ctx, out): Promise<Finding | undefined> {
      const first = await sendAccepted(ctx, request(ctx), 'reasoning');
      if ('finding' in first) return first.finding;
      const message = messageOf(first.x);
      if (!reasoningOf(message)) return NO_REASONING(reasoningModel(ctx));
      const answer = typeof message?.content === 'string' && message.content !== '' ? message.content : '391';
      const x = await ctx.send({
        body: {
          model: reasoningModel(ctx),
          messages: [
            { role: 'user', content: QUESTION },
            { role: 'assistant', content: answer },
            { role: 'user', content: 'And 17 * 24?' },
          ],
          max_tokens: 512,
        },
      });
      const problem = unanswered(x, 'the next turn, with the earlier assistant answer sent back without its reasoning,');
      if (problem) return problem;
      out.notes.answer = messageOf(x)?.content;
      if (!isObject(messageOf(x))) return `the next turn has no choices[0].message: ${show(x.json)}`;
    },
  },
  { id: 'reasoning.stream.field', level: 'MUST', fault: 'reasoning.not-a-string', ref: deltaField('reasoning_content'),
    title: 'Streamed reasoning arrives as string deltas in reasoning_content or reasoning', requirement: 'Streamed reasoning "must arrive as string deltas in delta.reasoning_content or delta.reasoning".',
    request: (ctx) => request(ctx, { stream: true }), validate: parsedStream((x, ctx, out) => {
      for (const [i, e] of (x.events ?? []).entries()) {
        for (const c of Array.isArray(e.json?.choices) ? e.json.choices : []) {
          for (const field of REASONING_FIELDS) {
            const v = c?.delta?.[field];
            if (v !== undefined && v !== null && typeof v !== 'string') return `event ${i}: delta.${field} is ${show(v)}, not a string`;
          }
        }
      }
      const choice = streamChoice(x);
      if (!choice || choice.reasoningPieces.length === 0) return NO_REASONING(reasoningModel(ctx));
      out.notes.field = choice.reasoningPieces[0].field;
      out.metrics.reasoningDeltas = choice.reasoningPieces.length;
    }),
  },
  { id: 'reasoning.stream.not-in-content', level: 'MUST', fault: 'reasoning.think-in-content', ref: deltaField('content'),
    title: 'Streamed content carries no reasoning (no <think> tags)', requirement: 'The streamed content deltas, concatenated, "must not contain the reasoning" (no <think>…</think> blocks).',
    request: (ctx) => request(ctx, { stream: true }), validate: parsedStream((x, ctx) => {
      const choice = streamChoice(x);
      const text = choice?.content ?? '';
      if (THINK_TAG.test(text)) return `the streamed content contains a ${show(THINK_TAG.exec(text)![0])} tag: the reasoning is inside the answer (${show(text, 120)})`;
      if (!choice || choice.reasoningPieces.length === 0) return NO_REASONING(reasoningModel(ctx));
    }),
  },
  { id: 'reasoning.stream.before-content', level: 'SHOULD', fault: 'reasoning.stream-interleaved', ref: deltaField('reasoning_content'),
    title: 'Streamed reasoning deltas come before content deltas', requirement: 'In a stream, "the reasoning deltas should all come before the first content delta".',
    request: (ctx) => request(ctx, { stream: true }), validate: parsedStream((x: Exchange, ctx) => {
      const choice = streamChoice(x);
      if (!choice || choice.reasoningPieces.length === 0) return NO_REASONING(reasoningModel(ctx));
      if (choice.contentPieces.length === 0) return undefined;
      const firstContent = choice.contentPieces[0].event;
      const late = choice.reasoningPieces.filter((r) => r.event > firstContent);
      if (late.length > 0) return `${late.length} reasoning delta(s) (first at event ${late[0].event}) come after the first content delta (event ${firstContent})`;
    }),
  },
]);
