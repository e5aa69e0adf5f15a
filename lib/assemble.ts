// The reference assembler: what a correct client builds from a chat completion (stream or not).
// Its output has the shape of a fixture's `expect` (lib/fixture-format.ts), so the fixtures test,
// the client-conformance harness and the SDK tests compare against the same thing.
//
// Canonical form (so that a stream and the equivalent non-stream answer assemble to the same value):
// - `content`: the concatenated content deltas (stream) or message.content; null when empty or absent.
//   It is always present for every choice that appeared.
// - `reasoning`: `reasoning_content` (DeepSeek, Qwen, vLLM, llama.cpp) or `reasoning` (newer vLLM,
//   OpenRouter) concatenated; present only when non-empty.
// - `refusal`: present only when a non-empty refusal was sent.
// - `tool_calls`: fragments merged by `index` (id and name from the fragments that carry them,
//   arguments concatenated, then parsed as JSON; a string that does not parse is kept as it is);
//   present only when there was at least one.
// - `finish_reason`: the last non-null one; present only when one was sent.
// - `usage`: prompt/completion/total tokens from the (last) chunk that carries a non-null usage.
// - `choices`: only when more than one choice index appeared (n > 1); choice 0 is also flat on top.
// - `error`: an error object in the stream (`data: {"error": {...}}`) or an error body. Its status is
//   the HTTP status of the response (options.status; 200 by default for a stream, since an error
//   event arrives after a 200). Events after an error or after `[DONE]` are not used.
import type { ExpectedChoice, ExpectedToolCall, ExpectedUsage, FixtureExpect } from './fixture-format.ts';
import { isObject } from './json.ts';

export type Assembled = FixtureExpect;

export interface AssembleOptions {
  /** the HTTP status of the response, reported in `error.status` */
  status?: number;
}

interface ToolCallState {
  id?: string;
  name: string;
  arguments: string;
}

interface ChoiceState {
  content: string;
  reasoning: string;
  refusal: string;
  toolCalls: Map<number, ToolCallState>;
  lastToolIndex?: number;
  finishReason?: string;
}

type Json = Record<string, any>;


/** Assemble a stream from its SSE data payloads, in order (e.g. readSse(...).events or parseSseText(...).events). */
export function assembleStream(events: { data: string }[], options: AssembleOptions = {}): Assembled {
  const choices = new Map<number, ChoiceState>();
  let usage: ExpectedUsage | undefined;
  let error: FixtureExpect['error'] | undefined;

  for (const [position, event] of events.entries()) {
    if (event.data.trim() === '[DONE]') break;
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw new Error(`event ${position} is not JSON: ${event.data.slice(0, 80)}`);
    }
    if (!isObject(chunk)) throw new Error(`event ${position} is not a JSON object`);
    const err = errorOf(chunk, options.status ?? 200);
    if (err) {
      error = err;
      break;
    }
    if (isObject(chunk.usage)) usage = usageOf(chunk.usage);
    if (!Array.isArray(chunk.choices)) continue;
    for (const choice of chunk.choices) {
      if (!isObject(choice)) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let state = choices.get(index);
      if (!state) {
        state = { content: '', reasoning: '', refusal: '', toolCalls: new Map() };
        choices.set(index, state);
      }
      const delta = isObject(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string') state.content += delta.content;
      if (typeof delta.reasoning_content === 'string') state.reasoning += delta.reasoning_content;
      else if (typeof delta.reasoning === 'string') state.reasoning += delta.reasoning;
      if (typeof delta.refusal === 'string') state.refusal += delta.refusal;
      if (Array.isArray(delta.tool_calls)) {
        for (const fragment of delta.tool_calls) {
          if (!isObject(fragment)) continue;
          let toolIndex: number;
          if (typeof fragment.index === 'number') toolIndex = fragment.index;
          else if (typeof fragment.id === 'string' && fragment.id && ![...state.toolCalls.values()].some((t) => t.id === fragment.id))
            toolIndex = state.toolCalls.size; // no index, a new id: a new call
          else toolIndex = state.lastToolIndex ?? 0;
          let call = state.toolCalls.get(toolIndex);
          if (!call) {
            call = { name: '', arguments: '' };
            state.toolCalls.set(toolIndex, call);
          }
          state.lastToolIndex = toolIndex;
          if (typeof fragment.id === 'string' && fragment.id) call.id = fragment.id;
          const fn = isObject(fragment.function) ? fragment.function : {};
          if (typeof fn.name === 'string' && fn.name) call.name = fn.name;
          if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
        }
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  const out: Assembled = {};
  const finished = [...choices.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => finishChoice(s));
  attachChoices(out, finished);
  if (usage) out.usage = usage;
  if (error) out.error = error;
  return out;
}

/** Assemble a non-stream answer: a chat.completion object, or an error body (pass the HTTP status). */
export function assembleCompletion(json: unknown, options: AssembleOptions = {}): Assembled {
  const out: Assembled = {};
  if (!isObject(json)) throw new Error('the completion is not a JSON object');
  const err = errorOf(json, options.status ?? 200);
  if (err) {
    out.error = err;
    return out;
  }
  const list = Array.isArray(json.choices) ? json.choices.filter(isObject) : [];
  const sorted = [...list].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const finished = sorted.map((choice) => {
    const message = isObject(choice.message) ? choice.message : {};
    const state: ChoiceState = {
      content: typeof message.content === 'string' ? message.content : '',
      reasoning:
        typeof message.reasoning_content === 'string'
          ? message.reasoning_content
          : typeof message.reasoning === 'string'
            ? message.reasoning
            : '',
      refusal: typeof message.refusal === 'string' ? message.refusal : '',
      toolCalls: new Map(),
      finishReason: typeof choice.finish_reason === 'string' && choice.finish_reason ? choice.finish_reason : undefined,
    };
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls.filter(isObject).forEach((call, i) => {
        const fn = isObject(call.function) ? call.function : {};
        state.toolCalls.set(i, {
          id: typeof call.id === 'string' && call.id ? call.id : undefined,
          name: typeof fn.name === 'string' ? fn.name : '',
          arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? ''),
        });
      });
    }
    return finishChoice(state);
  });
  attachChoices(out, finished);
  if (isObject(json.usage)) out.usage = usageOf(json.usage);
  return out;
}

function finishChoice(state: ChoiceState): ExpectedChoice {
  const choice: ExpectedChoice = { content: state.content === '' ? null : state.content };
  if (state.reasoning !== '') choice.reasoning = state.reasoning;
  if (state.refusal !== '') choice.refusal = state.refusal;
  if (state.toolCalls.size > 0) {
    choice.tool_calls = [...state.toolCalls.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, call]) => {
        const out: ExpectedToolCall = { name: call.name, arguments: parseArguments(call.arguments) };
        if (call.id !== undefined) out.id = call.id;
        return out;
      });
  }
  if (state.finishReason !== undefined) choice.finish_reason = state.finishReason;
  return choice;
}

function attachChoices(out: Assembled, finished: ExpectedChoice[]): void {
  if (finished.length === 0) return;
  Object.assign(out, finished[0]);
  if (finished.length > 1) out.choices = finished;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function usageOf(usage: Json): ExpectedUsage {
  return {
    prompt_tokens: Number(usage.prompt_tokens ?? 0),
    completion_tokens: Number(usage.completion_tokens ?? 0),
    total_tokens: Number(usage.total_tokens ?? 0),
  };
}

/** The error in a body or an event: `{"error": {...}}`, or vLLM's older flat `{"object": "error", ...}`. */
function errorOf(json: Json, status: number): FixtureExpect['error'] | undefined {
  let err: Json | undefined;
  if (isObject(json.error)) err = json.error;
  else if (typeof json.error === 'string') err = { message: json.error };
  else if (json.object === 'error') err = json;
  if (!err) return undefined;
  const out: NonNullable<FixtureExpect['error']> = { status, type: typeof err.type === 'string' ? err.type : '' };
  if (err.code !== undefined) out.code = err.code === null ? null : String(err.code);
  return out;
}
