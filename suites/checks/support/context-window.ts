// The model's context window, for the checks that must reach past it (errors.context-overflow,
// stream.error-in-band): the profile's `context-window`, else what GET /models says about the model
// (llama.cpp: meta.n_ctx, meta.n_ctx_train; vLLM: max_model_len; OpenRouter, LM Studio: context_length).
// Unknown, those checks SKIP: guessing by growing a prompt would cost too much on a paid endpoint.
import { isObject } from '../../../lib/json.ts';
import type { CheckContext } from '../types.ts';
import { Skip } from './gates.ts';

type Json = Record<string, any>;

const FIELDS: string[][] = [['meta', 'n_ctx'], ['meta', 'n_ctx_train'], ['max_model_len'], ['context_length'], ['context_window'], ['max_context_length']];

/** The context size in tokens and where it was read, or a SKIP saying how to give it. */
export async function contextWindow(ctx: CheckContext): Promise<{ tokens: number; from: string } | Skip> {
  const given = ctx.config.profile.contextWindow;
  if (given) return { tokens: given, from: 'the profile' };
  const x = await ctx.send({ method: 'GET', path: '/models' });
  const data = isObject(x.json) ? (x.json as Json).data : undefined;
  const model = Array.isArray(data) ? data.find((m) => isObject(m) && m.id === ctx.model) : undefined;
  for (const path of FIELDS) {
    const value = path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), model);
    if (Number.isInteger(value) && (value as number) > 0) return { tokens: value as number, from: `GET /models (${path.join('.')})` };
  }
  return new Skip(`the context size of ${ctx.model} is unknown (GET /models does not say it): set context-window in the profile to judge this`);
}

/** A prompt of about `tokens` tokens: one word per token in every common tokenizer. */
export function promptOfTokens(tokens: number): string {
  return Array.from({ length: Math.max(1, tokens) }, () => 'word').join(' ');
}
