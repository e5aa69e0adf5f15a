// Helpers for the protocol checks (streaming, stream-usage, core, errors, models, auth) — a small,
// stable API that other check modules may import read-only:
//   assembleStreamExchange(x) → per-choice content / reasoning / refusal / tool calls / finish reasons /
//                               roles, the chunks that carry usage, annotation chunks, what followed [DONE];
//   eventsBeforeDone(x)       → the data events a client consumes (everything before the first [DONE]);
//   framingProblems(text)     → what is wrong with the raw SSE framing of a body;
//   isAnnotationChunk(chunk)  → Azure's content-filter chunks (object ""), which clients skip;
//   acceptedProblem(x, what)  → why a request that must be answered 200 was not (or undefined);
//   errorSummary(x)           → status, error.type/code/param/message of an error answer;
//   percentile(values, p), isObject(v), show(v).
// It judges nothing itself; the checks decide what a finding is.
import type { Exchange } from './types.ts';
import { isObject } from '../../lib/json.ts';

export { isObject };

type Json = Record<string, any>;


/** JSON.stringify trimmed for messages. */
export function show(value: unknown, max = 160): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export type StreamEventView = NonNullable<Exchange['events']>[number];

/** The data events (parsed, [DONE] excluded) that arrived before the first `data: [DONE]`. */
export function eventsBeforeDone(x: Exchange): StreamEventView[] {
  const events = x.events ?? [];
  if (x.doneIndex === undefined || x.doneIndex < 0) return events;
  // x.events is sse.events without the [DONE] entries; the first doneIndex entries precede it.
  return events.slice(0, x.doneIndex);
}

export interface AssembledToolCall {
  index: number;
  id?: string;
  name: string;
  arguments: string;
}

export interface StreamChoiceSummary {
  index: number;
  /** concatenated delta.content */
  content: string;
  /** concatenated delta.reasoning_content / delta.reasoning */
  reasoning: string;
  /** concatenated delta.refusal */
  refusal: string;
  /** positions (in eventsBeforeDone) of events that carried a non-empty content delta */
  contentEvents: number[];
  /** every delta.role with its position */
  roles: { event: number; value: unknown }[];
  /** every non-null finish_reason with its position */
  finishReasons: { event: number; value: unknown }[];
  /** tool calls merged by index (arguments concatenated, not parsed) */
  toolCalls: AssembledToolCall[];
  /** positions of the first and the last event that carried this choice */
  firstEvent: number;
  lastEvent: number;
  /** positions of events carrying this choice after its first finish_reason with any delta payload */
  payloadAfterFinish: number[];
}

export interface UsageChunk {
  /** position in eventsBeforeDone */
  event: number;
  usage: unknown;
  /** the chunk's `choices` value as sent */
  choices: unknown;
}

export interface StreamSummary {
  /** the events a client consumes: before [DONE] */
  events: StreamEventView[];
  /** positions of events that are not JSON */
  unparsed: number[];
  /** choices by index, sorted */
  choices: StreamChoiceSummary[];
  /** every chunk (before [DONE]) whose `usage` is present and not null */
  usageChunks: UsageChunk[];
  /** whether a `data: [DONE]` arrived */
  done: boolean;
  /** data events after [DONE] (raw data strings), [DONE] repeats included */
  afterDone: string[];
  /** positions of chunks whose choices entries lack an integer index */
  choiceWithoutIndex: number[];
  /**
   * positions of annotation chunks (object "": Azure's prompt_filter_results / content-filter chunks,
   * which carry id "", created 0 and choices without delta); clients skip them, so do the choices above
   */
  annotations: number[];
}

/** An annotation chunk (object ""), as Azure sends for its content filter; clients must skip it. */
export function isAnnotationChunk(chunk: unknown): boolean {
  return isObject(chunk) && chunk.object === '';
}

/** Assemble a streamed exchange: what a client builds, plus where each piece came from. */
export function assembleStreamExchange(x: Exchange): StreamSummary {
  const events = eventsBeforeDone(x);
  const sseEvents = x.sse?.events ?? [];
  const doneIndex = x.doneIndex ?? -1;
  const summary: StreamSummary = {
    events,
    unparsed: [],
    choices: [],
    usageChunks: [],
    done: doneIndex >= 0,
    afterDone: doneIndex >= 0 ? sseEvents.slice(doneIndex + 1).map((e) => e.data) : [],
    choiceWithoutIndex: [],
    annotations: [],
  };
  const byIndex = new Map<number, StreamChoiceSummary & { calls: Map<number, AssembledToolCall> }>();
  for (const [position, event] of events.entries()) {
    const chunk = event.json;
    if (event.error !== undefined || !isObject(chunk)) {
      summary.unparsed.push(position);
      continue;
    }
    if (chunk.usage !== undefined && chunk.usage !== null) summary.usageChunks.push({ event: position, usage: chunk.usage, choices: chunk.choices });
    if (isAnnotationChunk(chunk)) {
      summary.annotations.push(position);
      continue;
    }
    if (!Array.isArray(chunk.choices)) continue;
    for (const choice of chunk.choices) {
      if (!isObject(choice)) continue;
      let index = choice.index;
      if (!Number.isInteger(index)) {
        summary.choiceWithoutIndex.push(position);
        index = 0;
      }
      let state = byIndex.get(index);
      if (!state) {
        state = {
          index,
          content: '',
          reasoning: '',
          refusal: '',
          contentEvents: [],
          roles: [],
          finishReasons: [],
          toolCalls: [],
          firstEvent: position,
          lastEvent: position,
          payloadAfterFinish: [],
          calls: new Map(),
        };
        byIndex.set(index, state);
      }
      state.lastEvent = position;
      const delta = isObject(choice.delta) ? choice.delta : {};
      const finishedBefore = state.finishReasons.length > 0;
      let payload = false;
      if (delta.role !== undefined && delta.role !== null) state.roles.push({ event: position, value: delta.role });
      if (typeof delta.content === 'string' && delta.content !== '') {
        state.content += delta.content;
        state.contentEvents.push(position);
        payload = true;
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        state.refusal += delta.refusal;
        payload = true;
      }
      for (const field of ['reasoning_content', 'reasoning']) {
        if (typeof delta[field] === 'string' && delta[field] !== '') {
          state.reasoning += delta[field];
          payload = true;
          break;
        }
      }
      if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
        payload = true;
        for (const fragment of delta.tool_calls) {
          if (!isObject(fragment)) continue;
          const i = Number.isInteger(fragment.index) ? fragment.index : state.calls.size > 0 ? [...state.calls.keys()].pop()! : 0;
          let call = state.calls.get(i);
          if (!call) {
            call = { index: i, name: '', arguments: '' };
            state.calls.set(i, call);
          }
          if (typeof fragment.id === 'string' && fragment.id) call.id = fragment.id;
          const fn = isObject(fragment.function) ? fragment.function : {};
          if (typeof fn.name === 'string' && fn.name) call.name = fn.name;
          if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
        }
      }
      if (finishedBefore && payload) state.payloadAfterFinish.push(position);
      if (choice.finish_reason !== undefined && choice.finish_reason !== null) state.finishReasons.push({ event: position, value: choice.finish_reason });
    }
  }
  summary.choices = [...byIndex.values()]
    .sort((a, b) => a.index - b.index)
    .map(({ calls, ...rest }) => ({ ...rest, toolCalls: [...calls.values()].sort((a, b) => a.index - b.index) }));
  return summary;
}

export interface FramingReport {
  /** problems that break clients (lines that are not SSE fields, bad separators) */
  problems: string[];
  /** `event:` field names seen (legal SSE, but OpenAI streams have none) */
  eventFields: string[];
  /** other legal but unusual fields (id:, retry:) */
  otherFields: string[];
  comments: number;
  /** how many events (blocks of lines ended by a blank line) */
  blocks: number;
  lineEnding: 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';
}

/**
 * The raw framing of an SSE body, as OpenAI sends it: events are `data: <payload>` lines ended by a
 * blank line; comment lines (`:`) are legal. Reports lines that are not SSE fields at all, `data`
 * written without its colon, a body that does not end with a blank line, and the line endings used.
 */
export function framingProblems(text: string): FramingReport {
  const report: FramingReport = { problems: [], eventFields: [], otherFields: [], comments: 0, blocks: 0, lineEnding: 'none' };
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lfOnly = (text.match(/(?<!\r)\n/g) ?? []).length;
  const crOnly = (text.match(/\r(?!\n)/g) ?? []).length;
  const kinds = [crlf > 0, lfOnly > 0, crOnly > 0].filter(Boolean).length;
  report.lineEnding = kinds > 1 ? 'mixed' : crlf ? 'CRLF' : lfOnly ? 'LF' : crOnly ? 'CR' : 'none';
  const lines = text.split(/\r\n|\r|\n/);
  // A body that ends with a line ending yields a trailing "" that is not a line.
  const complete = /(\r\n|\r|\n)$/.test(text);
  if (complete) lines.pop();
  let inBlock = false;
  let blockHasData = false;
  const problem = (lineNo: number, what: string) => {
    if (report.problems.length < 5) report.problems.push(`line ${lineNo}: ${what}`);
  };
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line === '') {
      if (inBlock && blockHasData) report.blocks++;
      inBlock = false;
      blockHasData = false;
      return;
    }
    if (line.startsWith(':')) {
      report.comments++;
      return;
    }
    inBlock = true;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field === 'data') {
      if (colon < 0) problem(lineNo, `"data" without a colon and payload`);
      else blockHasData = true;
      return;
    }
    if (field === 'event') {
      report.eventFields.push(line.slice(colon + 1).trim());
      return;
    }
    if (field === 'id' || field === 'retry') {
      report.otherFields.push(field);
      return;
    }
    problem(lineNo, `${show(line, 80)} is not an SSE line (expected "data: …", a ":" comment or a blank line)`);
  });
  if (inBlock) problem(lines.length, 'the body ends inside an event: the last event is not ended by a blank line (a spec-compliant parser drops it)');
  return report;
}

/** The p-th percentile (0..100) of values, nearest-rank; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

// ---------------------------------------------------------------------------------------------
// Exchanges (used by the protocol checks beside streams).

/**
 * A request that must be answered with a 200 (non-stream: a JSON body with a choices array; stream:
 * completed events). Returns the problem, naming `what` was sent, or undefined.
 */
export function acceptedProblem(x: Exchange, what: string): string | undefined {
  if (x.status === 0) return `${what}: no usable response (${x.error})`;
  if (x.status !== 200) {
    const e = isObject(x.json) && isObject((x.json as Json).error) ? (x.json as Json).error : undefined;
    const why = e ? `: ${show(e.message, 200)}` : x.text ? ` (no OpenAI error envelope: ${show(x.text.slice(0, 200), 160)})` : '';
    return `${what} was answered with HTTP ${x.status}, not 200${why}`;
  }
  if (x.error) return `${what}: the response did not complete (${x.error})`;
  if (x.sse) {
    if (!x.events || x.events.length === 0) return `${what}: the stream carried no data events`;
    return undefined;
  }
  if (x.json === undefined) return `${what}: the body is not JSON${x.jsonError ? ` (${x.jsonError})` : ''}`;
  if (!isObject(x.json) || !Array.isArray((x.json as Json).choices)) return `${what}: the body has no choices array`;
  return undefined;
}

/** The status, error type/code/param and message of an error answer, for notes and messages. */
export function errorSummary(x: Exchange): { status: number; type?: unknown; code?: unknown; param?: unknown; message?: unknown } {
  const e = isObject(x.json) && isObject((x.json as Json).error) ? (x.json as Json).error : undefined;
  return e ? { status: x.status, type: e.type, code: e.code, param: e.param, message: e.message } : { status: x.status };
}
