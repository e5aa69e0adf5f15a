// What the contract faults share: reading a request, refusing it, and editing an answer. One style:
// hooks are pure, so an edit works on a copy (editCompletion, onMessage, onCalls, onChunks) and the
// hook returns it; `validate` hooks keep the engine's own refusal unless they mean to replace it.
import { isObject } from '../../../lib/json.ts';
import { concatBytes, errorBody, jsonPlan, utf8 } from '../../respond.ts';
import type { ChatRequest, Chunk, Completion, Fault, FaultContext, PlannedWrite, ResponsePlan, StreamEvent } from '../../types.ts';

export type Json = Record<string, any>;

/**
 * A fault that exists to prove conformance checks can fail. The checks it proves name it (their
 * `fault`); its `alsoBreaks` lists the checks it legitimately fails besides them.
 */
export type ContractFault = Fault;

export { isObject };

// -------------------------------------------------------------------------------------------------
// Requests

/** A 400 invalid_request_error with the OpenAI envelope. */
export function refuse(message: string, param: string | null, code: string | null = 'invalid_value') {
  return { status: 400, body: errorBody(message, 'invalid_request_error', param, code) };
}

/** Keep the engine's own refusal; otherwise refuse when `when` holds. */
export function refuseWhen(when: (req: ChatRequest, ctx: FaultContext) => boolean, message: string, param: string | null, code?: string): Fault['validate'] {
  return (ctx, refusal) => refusal ?? (isObject(ctx.request) && when(ctx.request, ctx) ? refuse(message, param, code) : null);
}

/** The request without `key`. */
export function without(req: ChatRequest, key: string): ChatRequest {
  const { [key]: _dropped, ...rest } = req;
  return rest;
}

export function isStream(req: ChatRequest, ctx: FaultContext): boolean {
  return ctx.stream ?? req?.stream === true;
}

export function rolesOf(req: ChatRequest): string[] {
  return Array.isArray(req.messages) ? req.messages.map((m: any) => (isObject(m) ? m.role : undefined)) : [];
}

export function toolsOf(req: ChatRequest): Json[] {
  return Array.isArray(req?.tools) ? req.tools.filter(isObject) : [];
}

export function toolByName(req: ChatRequest, name: unknown): Json | undefined {
  return toolsOf(req).find((t) => t.function?.name === name)?.function;
}

export function hasSeed(req: ChatRequest): boolean {
  return req?.seed !== undefined && req.seed !== null;
}

/** Whether the request carries a credential (Authorization or api-key). */
export function hasKey(ctx: FaultContext): boolean {
  const h = ctx.headers ?? {};
  return (typeof h.authorization === 'string' && h.authorization.trim() !== '') || (typeof h['api-key'] === 'string' && h['api-key'].trim() !== '');
}

// -------------------------------------------------------------------------------------------------
// Completions

/** A copy of the completion, edited by `fn`. */
export function editCompletion(c: Completion, fn: (copy: Json) => void): Completion {
  const out = structuredClone(c);
  fn(out);
  return out;
}

/** A copy with `fn` applied to every choice that is an object. */
export function eachChoice(c: Completion, fn: (choice: Json, i: number) => void): Completion {
  return editCompletion(c, (out) => (Array.isArray(out.choices) ? out.choices : []).forEach((ch: unknown, i: number) => isObject(ch) && fn(ch, i)));
}

/** A copy with `fn` applied to every choice's message. */
export function eachMessage(c: Completion, fn: (message: Json, choice: Json) => void): Completion {
  return eachChoice(c, (choice) => isObject(choice.message) && fn(choice.message, choice));
}

/** A copy with `fn` applied to the first choice's message. */
export function onMessage(c: Completion, fn: (message: Json, choice: Json) => void): Completion {
  return editCompletion(c, (out) => {
    const choice = out.choices?.[0];
    if (isObject(choice) && isObject(choice.message)) fn(choice.message, choice);
  });
}

function callsOf(c: Completion): Json[] {
  const calls = c?.choices?.[0]?.message?.tool_calls;
  return Array.isArray(calls) ? calls : [];
}

/** A copy with `fn` applied to the first choice's tool calls, when their count satisfies `count`. */
export function onCalls(c: Completion, count: (n: number) => boolean, fn: (calls: Json[], message: Json, choice: Json) => void): Completion {
  if (!count(callsOf(c).length)) return c;
  return onMessage(c, (message, choice) => fn(message.tool_calls, message, choice));
}

/** A JSON object parsed from a string, or undefined. */
export function parseObject(text: unknown): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Remove the last property of a JSON object (a required one, for the schemas the checks send). */
export function dropLastKey(value: Json): Json {
  const keys = Object.keys(value);
  const out = { ...value };
  if (keys.length > 0) delete out[keys[keys.length - 1]];
  return out;
}

// -------------------------------------------------------------------------------------------------
// Streams (the event list, before framing)

export function isChunk(e: StreamEvent): e is { kind: 'chunk'; chunk: Chunk } {
  return e.kind === 'chunk';
}

/** A copy of the events; `fn` edits the chunks (copies) in order. */
export function onChunks(events: StreamEvent[], fn: (chunks: Chunk[]) => void): StreamEvent[] {
  const out = events.map((e) => (isChunk(e) ? { kind: 'chunk' as const, chunk: structuredClone(e.chunk) } : e));
  fn(out.filter(isChunk).map((e) => e.chunk));
  return out;
}

/** Every choice entry (an object) of the chunks, in order. */
export function choicesIn(chunks: Chunk[]): Json[] {
  return chunks.flatMap((chunk) => (Array.isArray(chunk.choices) ? chunk.choices.filter(isObject) : []));
}

/** The delta of every choice entry that has one. */
export function deltasIn(chunks: Chunk[]): Json[] {
  return choicesIn(chunks).flatMap((c) => (isObject(c.delta) ? [c.delta] : []));
}

/** Content deltas (non-empty) of choice `choiceIndex`, in order. */
export function contentDeltas(chunks: Chunk[], choiceIndex = 0): Json[] {
  return choicesIn(chunks).flatMap((c) => ((c.index ?? 0) === choiceIndex && isObject(c.delta) && typeof c.delta.content === 'string' && c.delta.content !== '' ? [c.delta] : []));
}

/** Whether an event is a chunk whose choices satisfy `test` (one of them). */
export function hasChoice(e: StreamEvent, test: (choice: Json) => boolean): boolean {
  return isChunk(e) && Array.isArray(e.chunk.choices) && e.chunk.choices.some((c: unknown) => isObject(c) && test(c));
}

/** The position of the first event that carries a finish_reason, or -1. */
export function finishIndex(events: StreamEvent[]): number {
  return events.findIndex((e) => hasChoice(e, (c) => c.finish_reason != null));
}

/** The usage chunk: choices [] and a usage object. */
export function isUsageChunk(e: StreamEvent): boolean {
  return isChunk(e) && Array.isArray(e.chunk.choices) && e.chunk.choices.length === 0 && isObject(e.chunk.usage);
}

/** Move the event at `from` so that it lands at `to` (positions in the list without it). */
export function moveEvent(events: StreamEvent[], from: number, to: number): StreamEvent[] {
  const out = [...events];
  const [moved] = out.splice(from, 1);
  out.splice(to, 0, moved);
  return out;
}

export interface FragmentRef {
  chunk: Chunk;
  choice: Json;
  fragment: Json;
}

/** Every delta.tool_calls fragment of choice `choiceIndex`, in order. */
export function fragments(chunks: Chunk[], choiceIndex = 0): FragmentRef[] {
  const out: FragmentRef[] = [];
  for (const chunk of chunks) {
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isObject(choice) || (choice.index ?? 0) !== choiceIndex) continue;
      const calls = choice.delta?.tool_calls;
      if (Array.isArray(calls)) for (const fragment of calls) if (isObject(fragment)) out.push({ chunk, choice, fragment });
    }
  }
  return out;
}

/** Fragments grouped by their tool-call index. */
export function byCallIndex(refs: FragmentRef[]): Map<number, FragmentRef[]> {
  const map = new Map<number, FragmentRef[]>();
  for (const ref of refs) {
    const i = typeof ref.fragment.index === 'number' ? ref.fragment.index : 0;
    map.set(i, [...(map.get(i) ?? []), ref]);
  }
  return map;
}

/** The fragments of the only streamed call, or undefined when there are none or several. */
export function singleCall(chunks: Chunk[]): FragmentRef[] | undefined {
  const groups = byCallIndex(fragments(chunks));
  return groups.size === 1 ? [...groups.values()][0] : undefined;
}

/** Replace the arguments of one streamed call: the whole text in its first argument-bearing fragment. */
export function rewriteArguments(refs: FragmentRef[], fn: (args: string) => string): void {
  const withArgs = refs.filter((r) => typeof r.fragment.function?.arguments === 'string');
  if (withArgs.length === 0) return;
  const next = fn(withArgs.map((r) => r.fragment.function.arguments).join(''));
  withArgs.forEach((r, i) => {
    r.fragment.function.arguments = i === 0 ? next : '';
  });
}

// -------------------------------------------------------------------------------------------------
// Plans (the bytes)

const decoder = new TextDecoder();

/** The JSON body of a plan, when it is one. */
export function planJson(plan: ResponsePlan): unknown {
  try {
    return JSON.parse(decoder.decode(concatBytes(plan.writes.map((w) => w.bytes))));
  } catch {
    return undefined;
  }
}

/** The plan answered with another JSON body. */
export function replaceJson(plan: ResponsePlan, status: number, body: unknown): ResponsePlan {
  return { ...jsonPlan(status, body, plan.scenario), faults: plan.faults };
}

export function setHeader(plan: ResponsePlan, name: string, value: string): ResponsePlan {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(plan.headers)) if (k.toLowerCase() !== name) headers[k] = v;
  headers[name] = value;
  return { ...plan, headers };
}

/** Positions of writes that carry an SSE event (non-empty, not a comment). */
export function eventWrites(plan: ResponsePlan): number[] {
  return plan.writes.flatMap((w, i) => (w.bytes.byteLength > 0 && decoder.decode(w.bytes).startsWith('data:') ? [i] : []));
}

/** The plan with the text of every non-empty write rewritten. */
export function mapWriteText(plan: ResponsePlan, fn: (text: string) => string): ResponsePlan {
  const writes: PlannedWrite[] = plan.writes.map((w) => (w.bytes.byteLength === 0 ? w : { ...w, bytes: utf8(fn(decoder.decode(w.bytes))) }));
  return { ...plan, writes };
}
