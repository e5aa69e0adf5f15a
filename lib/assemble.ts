// The one stream accumulator, and the reference assembler built on it.
//
// `accumulateStream` turns chat.completion.chunk events into choices, tool calls and usage, keeping
// where every piece came from (the event's position and, when given, its arrival time), so that the
// conformance checks judge fragments and the assembled answer from one view. Its rules:
// - a choice without an integer `index` is choice 0 (and the event is noted in `choiceWithoutIndex`);
// - a tool-call fragment joins the call of its `index`; without one, a fragment with an id not seen
//   before starts a new call, any other continues the last call (its raw `index` is kept);
// - reasoning is `delta.reasoning_content` (DeepSeek, Qwen, vLLM, llama.cpp) or else `delta.reasoning`
//   (newer vLLM, OpenRouter), whichever is a non-empty string first;
// - annotation chunks (object "", Azure's content-filter results) carry no choice: clients skip them;
// - an error event (`{"error": ...}`, or vLLM's flat `{"object": "error"}`) is noted; `stopAtError`
//   ends the accumulation there.
//
// `assembleStream`/`assembleCompletion` give what a correct client builds, in the shape of a
// fixture's `expect` (lib/fixture-format.ts), so the fixtures test, the client-conformance harness
// and the SDK tests compare against the same thing. Canonical form (a stream and the equivalent
// non-stream answer assemble to the same value):
// - `content`: the concatenated content, or null when empty; present for every choice that appeared;
// - `reasoning`, `refusal`: present only when non-empty;
// - `tool_calls`: arguments concatenated, then parsed as JSON (kept as a string when they do not
//   parse); id and name from the fragments that carry them; present only when there was one;
// - `finish_reason`: the last non-empty one; `usage`: from the last chunk carrying a usage object;
// - `choices`: only when more than one choice appeared (n > 1); choice 0 is also flat on top;
// - `error`: an error event or body, with the response's HTTP status (a stream's error event arrives
//   after a 200). Events after an error or after `[DONE]` are not used.
import type { ExpectedChoice, ExpectedToolCall, ExpectedUsage, FixtureExpect } from './fixture-format.ts';
import { isObject } from './json.ts';

type Json = Record<string, any>;

/** One SSE data event; `json` (or `error`) when the caller parsed it already. */
export interface StreamEventInput {
  data: string;
  json?: unknown;
  /** why `data` did not parse */
  error?: string;
  /** arrival time, milliseconds from the start of the request */
  atMs?: number;
}

/** Where a piece of the answer came from. */
export interface Position {
  /** the event's position among the events accumulated */
  event: number;
  atMs?: number;
}

export interface TextPiece extends Position {
  text: string;
}

export interface ReasoningPiece extends TextPiece {
  field: 'reasoning_content' | 'reasoning';
}

export interface Marker extends Position {
  value: unknown;
}

/** One element of `delta.tool_calls`, as sent. */
export interface ToolFragment extends Position {
  /** the raw `index` value (any type, or undefined) */
  index: unknown;
  /** the call it joins (see the rules above); undefined for an element that is not an object */
  call?: number;
  id: unknown;
  type: unknown;
  name: unknown;
  arguments: unknown;
  hasFunction: boolean;
}

export interface AccumulatedToolCall {
  index: number;
  /** the last non-empty id and name of its fragments */
  id?: string;
  name: string;
  /** the string arguments of its fragments, concatenated */
  arguments: string;
  fragments: ToolFragment[];
}

export interface AccumulatedChoice {
  index: number;
  /** the concatenated delta.content */
  content: string;
  /** the non-empty delta.content strings, where they came from */
  contentPieces: TextPiece[];
  /** the concatenated reasoning */
  reasoning: string;
  reasoningPieces: ReasoningPiece[];
  /** the concatenated delta.refusal */
  refusal: string;
  roles: Marker[];
  /** every non-null finish_reason */
  finishReasons: Marker[];
  /** every non-null choice.logprobs */
  logprobs: Marker[];
  /** events that carried content but no logprobs */
  contentWithoutLogprobs: number[];
  toolFragments: ToolFragment[];
  /** merged by call, in call order */
  toolCalls: AccumulatedToolCall[];
  firstEvent: number;
  lastEvent: number;
  /** events with content, reasoning, a refusal or tool calls for this choice after its first finish_reason */
  payloadAfterFinish: number[];
}

export interface UsageChunk extends Position {
  usage: unknown;
  /** the chunk's `choices` as sent */
  choices: unknown;
}

export interface StreamAccumulation {
  /** choices by index, ascending */
  choices: AccumulatedChoice[];
  /** every chunk whose `usage` is present and not null */
  usageChunks: UsageChunk[];
  /** events that are not a JSON object, and why */
  unparsed: { event: number; reason: string }[];
  /** the first error event, if any */
  error?: { event: number; json: Json };
  /** annotation chunks (object "") */
  annotations: number[];
  /** events whose choices entries lack an integer index */
  choiceWithoutIndex: number[];
}

export function accumulateStream(events: StreamEventInput[], options: { stopAtError?: boolean } = {}): StreamAccumulation {
  const out: StreamAccumulation = { choices: [], usageChunks: [], unparsed: [], annotations: [], choiceWithoutIndex: [] };
  const byIndex = new Map<number, AccumulatedChoice>();
  for (const [event, input] of events.entries()) {
    const at: Position = input.atMs === undefined ? { event } : { event, atMs: input.atMs };
    const chunk = parsed(input);
    if (typeof chunk === 'string') {
      out.unparsed.push({ event, reason: chunk });
      continue;
    }
    if (errorJson(chunk)) {
      out.error ??= { event, json: chunk };
      if (options.stopAtError) break;
      continue;
    }
    if (chunk.usage !== undefined && chunk.usage !== null) out.usageChunks.push({ ...at, usage: chunk.usage, choices: chunk.choices });
    if (chunk.object === '') {
      out.annotations.push(event);
      continue;
    }
    if (!Array.isArray(chunk.choices)) continue;
    for (const choice of chunk.choices) {
      if (!isObject(choice)) continue;
      let index = choice.index;
      if (!Number.isInteger(index)) {
        out.choiceWithoutIndex.push(event);
        index = 0;
      }
      let state = byIndex.get(index);
      if (!state) {
        state = newChoice(index, event);
        byIndex.set(index, state);
      }
      addChoice(state, choice, at);
    }
  }
  out.choices = [...byIndex.values()].sort((a, b) => a.index - b.index);
  for (const c of out.choices) c.toolCalls.sort((a, b) => a.index - b.index);
  return out;
}

/** The event as a JSON object, or why it is not one. */
function parsed(input: StreamEventInput): Json | string {
  let json = input.json;
  if (input.error !== undefined) return 'not JSON';
  if (!('json' in input)) {
    try {
      json = JSON.parse(input.data);
    } catch {
      return 'not JSON';
    }
  }
  return isObject(json) ? json : 'not a JSON object';
}

function newChoice(index: number, event: number): AccumulatedChoice {
  return {
    index,
    content: '',
    contentPieces: [],
    reasoning: '',
    reasoningPieces: [],
    refusal: '',
    roles: [],
    finishReasons: [],
    logprobs: [],
    contentWithoutLogprobs: [],
    toolFragments: [],
    toolCalls: [],
    firstEvent: event,
    lastEvent: event,
    payloadAfterFinish: [],
  };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function addChoice(state: AccumulatedChoice, choice: Json, at: Position): void {
  state.lastEvent = at.event;
  const delta = isObject(choice.delta) ? choice.delta : {};
  const finishedBefore = state.finishReasons.length > 0;
  let payload = false;
  if (delta.role !== undefined && delta.role !== null) state.roles.push({ ...at, value: delta.role });
  if (nonEmpty(delta.content)) {
    state.content += delta.content;
    state.contentPieces.push({ ...at, text: delta.content });
    payload = true;
  }
  if (nonEmpty(delta.refusal)) {
    state.refusal += delta.refusal;
    payload = true;
  }
  const field = nonEmpty(delta.reasoning_content) ? 'reasoning_content' : nonEmpty(delta.reasoning) ? 'reasoning' : undefined;
  if (field) {
    state.reasoning += delta[field];
    state.reasoningPieces.push({ ...at, text: delta[field], field });
    payload = true;
  }
  if (Array.isArray(delta.tool_calls)) {
    if (delta.tool_calls.length > 0) payload = true;
    for (const fragment of delta.tool_calls) addFragment(state, fragment, at);
  }
  if (choice.logprobs !== undefined && choice.logprobs !== null) state.logprobs.push({ ...at, value: choice.logprobs });
  else if (nonEmpty(delta.content)) state.contentWithoutLogprobs.push(at.event);
  if (finishedBefore && payload) state.payloadAfterFinish.push(at.event);
  if (choice.finish_reason !== undefined && choice.finish_reason !== null) state.finishReasons.push({ ...at, value: choice.finish_reason });
}

function addFragment(state: AccumulatedChoice, raw: unknown, at: Position): void {
  const f = isObject(raw) ? raw : {};
  const fn = isObject(f.function) ? f.function : undefined;
  const fragment: ToolFragment = { ...at, index: f.index, id: f.id, type: f.type, name: fn?.name, arguments: fn?.arguments, hasFunction: !!fn };
  state.toolFragments.push(fragment);
  if (!isObject(raw)) return;
  const calls = state.toolCalls;
  let index: number;
  if (typeof f.index === 'number') index = f.index;
  else if (nonEmpty(f.id) && !calls.some((c) => c.id === f.id)) index = calls.length; // no index, a new id: a new call
  else index = state.toolFragments.findLast((p) => p.call !== undefined)?.call ?? 0;
  fragment.call = index;
  let call = calls.find((c) => c.index === index);
  if (!call) {
    call = { index, name: '', arguments: '', fragments: [] };
    calls.push(call);
  }
  call.fragments.push(fragment);
  if (nonEmpty(f.id)) call.id = f.id;
  if (nonEmpty(fn?.name)) call.name = fn.name;
  if (typeof fn?.arguments === 'string') call.arguments += fn.arguments;
}

/** An error event or body: `{"error": {...}}`, `{"error": "..."}`, or vLLM's older flat `{"object": "error", ...}`. */
function errorJson(json: Json): boolean {
  return isObject(json.error) || typeof json.error === 'string' || json.object === 'error';
}

// -------------------------------------------------------------------------------------------------
// The reference assembler

export type Assembled = FixtureExpect;

export interface AssembleOptions {
  /** the HTTP status of the response, reported in `error.status` */
  status?: number;
}

/** Assemble a stream from its SSE data payloads, in order (e.g. readSse(...).events or parseSseText(...).events). */
export function assembleStream(events: StreamEventInput[], options: AssembleOptions = {}): Assembled {
  const done = events.findIndex((e) => e.data.trim() === '[DONE]');
  const acc = accumulateStream(done < 0 ? events : events.slice(0, done), { stopAtError: true });
  const bad = acc.unparsed[0];
  if (bad) {
    const what = bad.reason === 'not JSON' ? `is not JSON: ${events[bad.event].data.slice(0, 80)}` : 'is not a JSON object';
    throw new Error(`event ${bad.event} ${what}`);
  }
  return assembled(acc, options.status ?? 200);
}

/**
 * Assemble a non-stream answer: a chat.completion object, or an error body (pass the HTTP status).
 * The completion is accumulated as one chunk whose deltas are its messages, choice by choice.
 */
export function assembleCompletion(json: unknown, options: AssembleOptions = {}): Assembled {
  if (!isObject(json)) throw new Error('the completion is not a JSON object');
  if (errorJson(json)) return assembled({ ...accumulateStream([]), error: { event: 0, json } }, options.status ?? 200);
  const list = Array.isArray(json.choices) ? json.choices.filter(isObject) : [];
  const sorted = [...list].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const chunk = { choices: sorted.map((choice, index) => ({ index, delta: messageAsDelta(choice.message), finish_reason: choice.finish_reason })), usage: json.usage };
  return assembled(accumulateStream([{ data: '', json: chunk }]), options.status ?? 200);
}

function messageAsDelta(message: unknown): Json {
  if (!isObject(message)) return {};
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : [];
  const fragments = calls.map((call, index) => {
    const fn = isObject(call.function) ? call.function : {};
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? '');
    return { index, id: call.id, function: { name: fn.name, arguments: args } };
  });
  const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : message.reasoning;
  return { content: message.content, reasoning_content: reasoning, refusal: message.refusal, tool_calls: fragments };
}

function assembled(acc: StreamAccumulation, status: number): Assembled {
  const out: Assembled = {};
  const finished = acc.choices.map(finishChoice);
  if (finished.length > 0) Object.assign(out, finished[0]);
  if (finished.length > 1) out.choices = finished;
  const usage = acc.usageChunks.findLast((u) => isObject(u.usage))?.usage as Json | undefined;
  if (usage) out.usage = usageOf(usage);
  if (acc.error) out.error = errorOf(acc.error.json, status);
  return out;
}

function finishChoice(state: AccumulatedChoice): ExpectedChoice {
  const choice: ExpectedChoice = { content: state.content === '' ? null : state.content };
  if (state.reasoning !== '') choice.reasoning = state.reasoning;
  if (state.refusal !== '') choice.refusal = state.refusal;
  if (state.toolCalls.length > 0) {
    choice.tool_calls = state.toolCalls.map((call) => {
      const out: ExpectedToolCall = { name: call.name, arguments: parseArguments(call.arguments) };
      if (call.id !== undefined) out.id = call.id;
      return out;
    });
  }
  const finish = state.finishReasons.findLast((f) => nonEmpty(f.value));
  if (finish) choice.finish_reason = finish.value as string;
  return choice;
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

function errorOf(json: Json, status: number): NonNullable<FixtureExpect['error']> {
  const err: Json = isObject(json.error) ? json.error : typeof json.error === 'string' ? { message: json.error } : json;
  const out: NonNullable<FixtureExpect['error']> = { status, type: typeof err.type === 'string' ? err.type : '' };
  if (err.code !== undefined) out.code = err.code === null ? null : String(err.code);
  return out;
}
