// The default synthesizer: a correct, deterministic OpenAI server for any well-formed request.
// It first decides the answer (per choice: reasoning, content tokens, tool calls, finish_reason,
// logprobs; usage), then render.ts writes it as a chat.completion or as chunks, so that the stream and
// the non-stream answer to the same request always agree.
//
// Determinism: the words depend only on the model, the messages and the seed (not on stream, n,
// max_tokens, stop or logprobs), so parameters change how the same text is cut or framed, never the
// text itself; choice i uses the template after choice i-1's.
import { countPromptTokens } from './conversation.ts';
import { hash32, hashHex, type IdSource } from './ids.ts';
import { DEFAULT_MODEL, isReasoner } from './models.ts';
import { generateArguments, generateFromSchema, SchemaGenerationError } from './schema-gen.ts';
import { answerText, reasoningText } from './synth-text.ts';
import { chooseTools } from './synth-tools.ts';
import { tokenize } from './tokenizer.ts';
import type { ChatRequest } from './types.ts';

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}
export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

export interface ToolCallPlan {
  id: string;
  name: string;
  arguments: string;
  /** the argument string cut into stream fragments (concatenated they give `arguments`) */
  fragments: string[];
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface ChoicePlan {
  index: number;
  /** reasoning tokens (mock-reasoner only) */
  reasoning: string[];
  /** content tokens; null when the choice is tool calls only */
  content: string[] | null;
  toolCalls: ToolCallPlan[];
  finishReason: FinishReason;
  /** one entry per content token when logprobs were requested */
  logprobs: TokenLogprob[] | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export interface Answer {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  choices: ChoicePlan[];
  usage: Usage;
  /** stream_options.include_usage */
  includeUsage: boolean;
  /** logprobs were requested */
  logprobs: boolean;
}

export interface SynthEnv {
  ids: IdSource;
  /** ms since the epoch */
  now: () => number;
}

const MAX_N = 128;

function intOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : fallback;
}

function stopList(stop: unknown): string[] {
  if (typeof stop === 'string') return stop.length > 0 ? [stop] : [];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return [];
}

/** The text cut before the first stop sequence, and whether one was found. */
export function applyStop(text: string, stops: string[]): { text: string; stopped: boolean } {
  let cut = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (cut < 0 || i < cut)) cut = i;
  }
  return cut < 0 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}

function conversationKey(req: ChatRequest, model: string): string {
  let messages: string;
  try {
    messages = JSON.stringify(req.messages ?? null);
  } catch {
    messages = '';
  }
  return `${model}\u0000${messages}\u0000${req.seed ?? ''}`;
}

/** `fp_mock_` + a hash of the seed: equal for equal seeds. */
export function fingerprint(seed: unknown): string {
  return `fp_mock_${hashHex(`seed:${seed ?? 'none'}`).slice(0, 8)}`;
}

const ALTERNATIVES = [' the', ' a', ' and', ' of', ' to', ' is', ' it', ' in', ' that', ' mock', '.', ',', ' this', ' answer', ' you', ' with', ' for', ' on', ' as', ' be', ' reply'];

const encoder = new TextEncoder();
function bytesOf(token: string): number[] {
  return Array.from(encoder.encode(token));
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function tokenLogprobs(tokens: string[], variant: number, top: number): TokenLogprob[] {
  return tokens.map((token, i) => {
    const h = hash32(`${token}\u0000${i}\u0000${variant}`);
    const logprob = round(-((h % 1000) / 2000)); // (-0.5, 0]
    const alts: TopLogprob[] = [];
    if (top > 0) alts.push({ token, logprob, bytes: bytesOf(token) });
    for (let k = 0, j = h % ALTERNATIVES.length; alts.length < top && k < ALTERNATIVES.length; k++, j = (j + 1) % ALTERNATIVES.length) {
      const alt = ALTERNATIVES[j];
      if (alt === token) continue;
      alts.push({ token: alt, logprob: round(logprob - 0.75 * alts.length - ((h >>> (k % 24)) % 100) / 1000), bytes: bytesOf(alt) });
    }
    return { token, logprob, bytes: bytesOf(token), top_logprobs: alts };
  });
}

/** The content of a choice before stop and max_tokens: plain text, or JSON for response_format. */
function fullContent(req: ChatRequest, variant: number): string {
  const rf = req.response_format;
  if (rf && typeof rf === 'object') {
    if (rf.type === 'json_schema') {
      const schema = rf.json_schema?.schema;
      const name = typeof rf.json_schema?.name === 'string' ? rf.json_schema.name : 'schema';
      const value = schema === undefined ? {} : refusing(() => generateFromSchema(schema), 'response_format', `response_format '${name}'`);
      return JSON.stringify(value);
    }
    if (rf.type === 'json_object') return JSON.stringify({ answer: answerText(req, variant) });
  }
  return answerText(req, variant);
}

/** Run a generation; a schema it refuses becomes the request's 400 (SchemaGenerationError with param and refusal). */
function refusing<T>(generate: () => T, param: string, subject: string): T {
  try {
    return generate();
  } catch (error) {
    if (error instanceof SchemaGenerationError) {
      error.param = param;
      error.refusal = `Invalid schema for ${subject.slice(0, 200)}: ${error.message}.`;
    }
    throw error;
  }
}

/** Cut an argument string's tokens into stream fragments of about two tokens each. */
function fragmentsOf(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) out.push(tokens.slice(i, i + 2).join(''));
  return out;
}

export function synthesize(req: ChatRequest, env: SynthEnv, modelOverride?: string): Answer {
  const model = typeof modelOverride === 'string' ? modelOverride : typeof req.model === 'string' && req.model ? req.model : DEFAULT_MODEL;
  const n = Math.min(Math.max(intOr(req.n, 1), 1), MAX_N);
  const maxTokens = intOr(req.max_completion_tokens, intOr(req.max_tokens, Number.POSITIVE_INFINITY));
  const stops = stopList(req.stop);
  const wantLogprobs = req.logprobs === true;
  const top = Math.min(Math.max(intOr(req.top_logprobs, 0), 0), 20);
  const reasoner = isReasoner(model);
  const base = hash32(conversationKey(req, model));
  const tools = chooseTools(req);

  const choices: ChoicePlan[] = [];
  let completionTokens = 0;
  let reasoningTokens = 0;
  for (let index = 0; index < n; index++) {
    const variant = (base + index) >>> 0;
    let budget = Math.max(maxTokens, 0);
    let finishReason: FinishReason = 'stop';
    let reasoning: string[] = [];
    if (reasoner) {
      reasoning = tokenize(reasoningText(req));
      if (reasoning.length > budget) {
        reasoning = reasoning.slice(0, budget);
        finishReason = 'length';
      }
      budget -= reasoning.length;
    }
    let content: string[] | null = null;
    const toolCalls: ToolCallPlan[] = [];
    let used = reasoning.length;
    if (finishReason === 'length') {
      content = [];
    } else if (tools.length > 0) {
      finishReason = 'tool_calls';
      for (const tool of tools) {
        const args = JSON.stringify(refusing(() => generateArguments(tool.parameters), `tools[${tool.index}].function.parameters`, `function '${tool.name}'`));
        let argTokens = tokenize(args);
        const cost = 1 + argTokens.length; // the name counts as one token
        if (cost > budget) {
          argTokens = argTokens.slice(0, Math.max(budget - 1, 0));
          finishReason = 'length';
        }
        if (budget <= 0) break;
        const text = argTokens.join('');
        toolCalls.push({ id: env.ids.call(), name: tool.name, arguments: text, fragments: fragmentsOf(argTokens) });
        budget -= 1 + argTokens.length;
        used += 1 + argTokens.length;
        if (finishReason === 'length') break;
      }
      if (toolCalls.length === 0) content = [];
    } else {
      const stopped = applyStop(fullContent(req, variant), stops);
      let tokens = tokenize(stopped.text);
      if (tokens.length > budget) {
        tokens = tokens.slice(0, budget);
        finishReason = 'length';
      }
      content = tokens;
      used += tokens.length;
    }
    completionTokens += used;
    reasoningTokens += reasoning.length;
    choices.push({
      index,
      reasoning,
      content,
      toolCalls,
      finishReason,
      logprobs: wantLogprobs ? tokenLogprobs(content ?? [], variant, top) : null,
    });
  }
  const promptTokens = countPromptTokens(req);
  return {
    id: env.ids.completion(),
    created: Math.floor(env.now() / 1000),
    model,
    systemFingerprint: fingerprint(req.seed),
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: reasoningTokens,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    includeUsage: req.stream === true && req.stream_options?.include_usage === true,
    logprobs: wantLogprobs,
  };
}
