// Helpers for the feature checks (reasoning, tools, parallel tools, vision, structured output,
// logprobs, n, seed, equivalence): the requests they send, a real PNG made in code, a JSON Schema
// validator for schemas that come from a request (tool parameters, response_format), and a
// fragment-level view of a stream (the reference assembler in lib/assemble.ts gives the merged view).
import { deflateSync } from 'node:zlib';
import { validateWithRequestSchema } from '../../lib/validate.ts';
import { isCleanRefusal, describeResponse, describeRequest } from '../runner/client.ts';
import type { CheckContext, Exchange, Finding, Validator } from './types.ts';

import { contextTooSmall } from './gates.ts';
import { eventsBeforeDone, isObject, show } from './stream-helpers.ts';

export { isObject, show };

type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Tools used by the checks. The parameters are strict-mode compatible (every property required,
// additionalProperties false) so the same definitions serve `strict: true`.

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'The city name, e.g. Paris' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'], description: 'The temperature unit' },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

export const TIME_TOOL = {
  type: 'function',
  function: {
    name: 'get_time',
    description: 'Get the current local time in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city name, e.g. Tokyo' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

export function withStrict(tool: Json): Json {
  return { ...tool, function: { ...tool.function, strict: true } };
}

export function named(name: string): Json {
  return { type: 'function', function: { name } };
}

export const WEATHER_PROMPT = 'What is the weather in Paris right now? Answer in celsius.';
export const TWO_CITIES_PROMPT =
  'I need two things at once: the current weather in Paris and the current local time in Tokyo. Use the get_weather and get_time tools, both in this turn.';

/**
 * The named-tool request most tool checks judge: the question needs get_weather, the choice forces
 * get_time, so a server that treats a named choice as "auto" is caught whatever its model prefers.
 */
export const NAMED_TOOL = 'get_time';
export function namedToolBody(extra: Json = {}): Json {
  return {
    messages: [{ role: 'user', content: WEATHER_PROMPT }],
    tools: [WEATHER_TOOL, TIME_TOOL],
    tool_choice: named(NAMED_TOOL),
    max_tokens: 256,
    ...extra,
  };
}

/**
 * The request the streamed tool-call protocol is judged on: one tool and tool_choice "required", so
 * the call is forced through the API without naming it (a server that ignores a named choice still
 * has its streaming protocol judged).
 */
export function requiredToolBody(extra: Json = {}): Json {
  return {
    messages: [{ role: 'user', content: WEATHER_PROMPT }],
    tools: [WEATHER_TOOL],
    tool_choice: 'required',
    max_tokens: 256,
    ...extra,
  };
}

/** A request that needs two tools in one turn (parallel tool calls). */
export function parallelToolBody(extra: Json = {}): Json {
  return {
    messages: [{ role: 'user', content: TWO_CITIES_PROMPT }],
    tools: [WEATHER_TOOL, TIME_TOOL],
    tool_choice: 'required',
    max_tokens: 256,
    ...extra,
  };
}

/** The tools a request declared, by name. */
export function declaredTools(x: Exchange): Map<string, Json> {
  const tools = (x.request.body as Json | undefined)?.tools;
  const out = new Map<string, Json>();
  if (Array.isArray(tools)) for (const t of tools) if (isObject(t?.function)) out.set(t.function.name, t.function);
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema validation of schemas taken from a request (not the contract's own schemas).

/** Validate `data` against a schema given in a request; returns the problems, or [] when it validates. */
export function schemaProblems(schema: unknown, data: unknown): string[] {
  if (!isObject(schema)) return [];
  const r = validateWithRequestSchema(schema, data);
  if (r.ok) return [];
  if ('compileError' in r) return [`the schema itself does not compile: ${r.compileError}`];
  return r.errors.map((e) => `${e.path || '(root)'} ${e.message}`);
}

// ---------------------------------------------------------------------------------------------
// A real PNG, built in code: 8-bit RGB, one zlib-compressed IDAT, CRCs computed here.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A solid-colour RGB PNG of width×height pixels. */
export function solidPng(rgb: [number, number, number], width = 32, height = 32): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let i = 0; i < width; i++) row.set(rgb, 1 + i * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** 32×32 by default: some vision stacks refuse images under 28 pixels a side (Qwen-VL's patch factor). */
export function pngDataUrl(rgb: [number, number, number], size = 32): string {
  return `data:image/png;base64,${solidPng(rgb, size, size).toString('base64')}`;
}

export const RED_PNG = pngDataUrl([220, 20, 20]);
export const BLUE_PNG = pngDataUrl([20, 40, 220]);

export function imagePart(url: string, detail?: 'low' | 'high' | 'auto'): Json {
  return { type: 'image_url', image_url: detail ? { url, detail } : { url } };
}

// ---------------------------------------------------------------------------------------------
// Refusals in scripted checks (the runner judges exchange checks itself).

/**
 * For a scripted check's first request: a network failure or an error status is a problem, except a
 * clean refusal (4xx with the error envelope) of a capability that is not claimed, which is UNSUPPORTED.
 */
export function gate(x: Exchange, ctx: CheckContext, capability: string): Finding | undefined {
  if (x.status === 0) return `no usable response: ${x.error}. Sent: ${describeRequest(x)}`;
  if (x.status === 200 && !x.error) return undefined;
  const tooBig = contextTooSmall(x);
  if (tooBig) return tooBig;
  if (x.status >= 400 && x.status < 500 && ctx.claims(capability) !== true && isCleanRefusal(x)) {
    return { unsupported: `refused cleanly: ${describeResponse(x, 200)}` };
  }
  if (x.status !== 200) return `expected HTTP 200, got ${x.status}: ${describeResponse(x)}. Sent: ${describeRequest(x)}`;
  return `the response did not complete: ${x.error}. Sent: ${describeRequest(x)}`;
}

/** A follow-up request (after a first one succeeded) must succeed too: any refusal is a problem. */
export function followUp(x: Exchange, what: string): string | undefined {
  if (x.status === 0) return `${what}: no usable response (${x.error}). Sent: ${describeRequest(x)}`;
  if (x.status !== 200) return `${what} was answered with HTTP ${x.status}, not 200: ${describeResponse(x)}. Sent: ${describeRequest(x)}`;
  if (x.error) return `${what}: the response did not complete (${x.error}). Sent: ${describeRequest(x)}`;
  return undefined;
}

/** An exchange-check validator: the response is a 200 JSON body (non-stream). */
export const okJson: Validator = (x) => {
  if (x.status !== 200) return `expected HTTP 200, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
  if (x.json === undefined) return `the body is not JSON${x.jsonError ? ` (${x.jsonError})` : ''}`;
  if (!isObject(x.json) || !Array.isArray((x.json as Json).choices)) return 'the body has no choices array';
};

/** An exchange-check validator: the stream completed with parseable events. */
export const okStream: Validator = (x) => {
  if (x.status !== 200) return `expected HTTP 200 for the stream, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
  if (x.error) return `the stream did not complete: ${x.error} after ${x.sse?.events.length ?? 0} events`;
  if (!x.events || x.events.length === 0) return 'the stream carried no data events';
  const bad = x.events.findIndex((e) => e.error);
  if (bad >= 0) return `event ${bad} is not JSON (${x.events[bad].error}): ${show(x.events[bad].data)}`;
};

// ---------------------------------------------------------------------------------------------
// Non-stream accessors.

export function choicesOf(x: Exchange): Json[] {
  const c = (x.json as Json | undefined)?.choices;
  return Array.isArray(c) ? c : [];
}

export function messageOf(x: Exchange, i = 0): Json | undefined {
  const m = choicesOf(x)[i]?.message;
  return isObject(m) ? m : undefined;
}

export function usageOf(x: Exchange): Json | undefined {
  const u = (x.json as Json | undefined)?.usage;
  return isObject(u) ? u : undefined;
}

/** Skip when the first choice carries no tool call (the check that requires one reports it). */
export function toolCallsOf(x: Exchange, requiredBy: string): { calls: Json[] } | { skip: string } {
  const calls = messageOf(x)?.tool_calls;
  if (!Array.isArray(calls) || calls.length === 0) {
    return { skip: `prerequisite failed: choices[0].message.tool_calls is ${show(calls)}, so there is nothing to judge (see ${requiredBy})` };
  }
  return { calls };
}

// ---------------------------------------------------------------------------------------------
// Streams, fragment by fragment.

export interface ToolFragment {
  /** position of the event in x.events */
  event: number;
  /** the raw `index` value of the fragment */
  index: unknown;
  id: unknown;
  type: unknown;
  name: unknown;
  arguments: unknown;
  hasFunction: boolean;
}

export interface StreamChoice {
  index: number;
  /** content deltas (text) with the event position */
  content: { event: number; text: string }[];
  /** reasoning deltas with the event position and field name */
  reasoning: { event: number; text: string; field: string }[];
  toolFragments: ToolFragment[];
  /** every non-null finish_reason with the event position */
  finishReasons: { event: number; value: unknown }[];
  /** roles announced in deltas */
  roles: { event: number; value: unknown }[];
  /** logprobs objects attached to this choice's chunks */
  logprobs: { event: number; value: unknown }[];
  refusal: string;
  /** events that carried a content delta but no logprobs */
  contentWithoutLogprobs: number[];
}

export interface StreamView {
  choices: Map<number, StreamChoice>;
  /** the last non-null usage */
  usage?: Json;
  /** event positions whose choices entry had no integer index */
  choiceWithoutIndex: number[];
}

/** A fragment-level view of a stream's events (unparseable events are skipped; okStream reports them). */
export function viewStream(x: Exchange): StreamView {
  const view: StreamView = { choices: new Map(), choiceWithoutIndex: [] };
  const events = eventsBeforeDone(x);
  for (const [position, event] of events.entries()) {
    const chunk = event.json;
    if (!isObject(chunk)) continue;
    if (isObject(chunk.usage)) view.usage = chunk.usage;
    if (!Array.isArray(chunk.choices)) continue;
    for (const choice of chunk.choices) {
      if (!isObject(choice)) continue;
      let index = choice.index;
      if (!Number.isInteger(index)) {
        view.choiceWithoutIndex.push(position);
        index = 0;
      }
      let state = view.choices.get(index);
      if (!state) {
        state = { index, content: [], reasoning: [], toolFragments: [], finishReasons: [], roles: [], logprobs: [], refusal: '', contentWithoutLogprobs: [] };
        view.choices.set(index, state);
      }
      const delta = isObject(choice.delta) ? choice.delta : {};
      if (delta.role !== undefined && delta.role !== null) state.roles.push({ event: position, value: delta.role });
      const hasContent = typeof delta.content === 'string' && delta.content !== '';
      if (hasContent) state.content.push({ event: position, text: delta.content });
      for (const field of ['reasoning_content', 'reasoning']) {
        if (typeof delta[field] === 'string' && delta[field] !== '') state.reasoning.push({ event: position, text: delta[field], field });
      }
      if (typeof delta.refusal === 'string') state.refusal += delta.refusal;
      if (Array.isArray(delta.tool_calls)) {
        for (const f of delta.tool_calls) {
          const fn = isObject(f?.function) ? f.function : undefined;
          state.toolFragments.push({
            event: position,
            index: f?.index,
            id: f?.id,
            type: f?.type,
            name: fn?.name,
            arguments: fn?.arguments,
            hasFunction: !!fn,
          });
        }
      }
      if (choice.logprobs !== undefined && choice.logprobs !== null) state.logprobs.push({ event: position, value: choice.logprobs });
      else if (hasContent) state.contentWithoutLogprobs.push(position);
      if (choice.finish_reason !== undefined && choice.finish_reason !== null) state.finishReasons.push({ event: position, value: choice.finish_reason });
    }
  }
  return view;
}

export function streamText(choice: StreamChoice | undefined): string {
  return (choice?.content ?? []).map((c) => c.text).join('');
}

export interface StreamToolCall {
  index: number;
  fragments: ToolFragment[];
  id: unknown;
  name: unknown;
  arguments: string;
}

/** Tool calls of one streamed choice merged by integer index (fragments without one are left out). */
export function streamToolCalls(choice: StreamChoice | undefined): StreamToolCall[] {
  const byIndex = new Map<number, StreamToolCall>();
  for (const f of choice?.toolFragments ?? []) {
    if (!Number.isInteger(f.index)) continue;
    const i = f.index as number;
    let call = byIndex.get(i);
    if (!call) {
      call = { index: i, fragments: [], id: f.id, name: f.name, arguments: '' };
      byIndex.set(i, call);
    }
    call.fragments.push(f);
    if (typeof f.arguments === 'string') call.arguments += f.arguments;
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Skip when the stream's first choice carries no tool-call fragment, or fragments lack an index. */
export function streamedCallsOf(x: Exchange, requiredBy: string): { calls: StreamToolCall[]; choice: StreamChoice } | { skip: string } {
  const choice = viewStream(x).choices.get(0);
  if (!choice || choice.toolFragments.length === 0) {
    return { skip: `prerequisite failed: the stream carried no delta.tool_calls for choice 0 (see ${requiredBy})` };
  }
  const noIndex = choice.toolFragments.filter((f) => !Number.isInteger(f.index));
  if (noIndex.length > 0) {
    return { skip: `prerequisite failed: ${noIndex.length} tool-call fragment(s) have no integer index, so fragments cannot be merged (see tools.stream.index-on-every-fragment)` };
  }
  return { calls: streamToolCalls(choice), choice };
}

/** The parsed JSON of a tool call's arguments, or why it does not parse. */
export function parseArguments(args: unknown): { value: unknown } | { problem: string } {
  if (typeof args !== 'string') return { problem: `arguments is ${args === null ? 'null' : typeof args} ${show(args)}, not a JSON-encoded string` };
  try {
    return { value: JSON.parse(args) };
  } catch (error) {
    return { problem: `arguments ${show(args)} is not valid JSON (${(error as Error).message})` };
  }
}

/** Per index, the finish reasons of a streamed choice as a readable list. */
export function finishList(choice: StreamChoice | undefined): string {
  return show((choice?.finishReasons ?? []).map((f) => f.value));
}

/** Deep equality for JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
