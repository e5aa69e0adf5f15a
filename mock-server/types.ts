// The scenario engine's interfaces. The engine is data and plain functions; transports
// (node:http in standalone.ts, msw in msw.ts) only turn a MockRequest into a ResponsePlan
// and write the plan's bytes.

export interface MockRequest {
  method: string;
  /** path without the query string, e.g. /v1/chat/completions */
  path: string;
  query: URLSearchParams;
  /** header names lower-case */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface PlannedWrite {
  /** milliseconds to wait before this write, after speed scaling */
  delayMs: number;
  bytes: Uint8Array;
}

/** What happens after the last write. */
export type PlanEnding =
  | 'end' // end the response normally
  | 'destroy' // reset the connection (socket destroyed) without ending the body
  | 'hang'; // keep the connection open, write nothing more, until the client goes away or the server closes

export interface ResponsePlan {
  status: number;
  headers: Record<string, string>;
  writes: PlannedWrite[];
  ending: PlanEnding;
  /** for the journal */
  scenario: string;
  faults: string[];
}

/** A chat completion request as parsed JSON (validated against the contract unless a fault says otherwise). */
export type ChatRequest = Record<string, any>;
/** A chat.completion object. */
export type Completion = Record<string, any>;
/** A chat.completion.chunk object. */
export type Chunk = Record<string, any>;

/** One SSE event the engine will serialize: a JSON chunk, a raw data line, or a comment. */
export type StreamEvent =
  | { kind: 'chunk'; chunk: Chunk }
  | { kind: 'data'; data: string } // e.g. "[DONE]", or an error object's JSON
  | { kind: 'comment'; text: string };

export interface FaultContext {
  request: ChatRequest;
  /** the text after the colon in `id:param`, e.g. "3" in "drop-after:3" */
  param?: string;
}

/**
 * A fault is data: an id, what it breaks, and hooks at the stages of the pipeline
 * (request → validation → scenario → structured answer → bytes). Every hook is optional
 * and pure: it returns a changed copy or the same value.
 */
export interface Fault {
  id: string;
  description: string;
  /** the conformance check(s) this fault exists to prove (ids), if any */
  proves?: string[];
  /** rewrite the parsed request before validation and synthesis (e.g. drop `n` to fake "ignored") */
  request?(req: ChatRequest, ctx: FaultContext): ChatRequest;
  /** replace validation: return the error to send (or null to accept) given the validator's own verdict */
  validate?(ctx: FaultContext, verdict: { status: number; body: unknown } | null): { status: number; body: unknown } | null;
  /** rewrite a non-stream completion */
  completion?(c: Completion, ctx: FaultContext): Completion;
  /** rewrite the event list of a stream (before framing) */
  events?(events: StreamEvent[], ctx: FaultContext): StreamEvent[];
  /** rewrite the final plan (status, headers, bytes, ending) */
  plan?(plan: ResponsePlan, ctx: FaultContext): ResponsePlan;
}
