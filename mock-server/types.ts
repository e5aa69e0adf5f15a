// The scenario engine's interfaces. The engine is data and plain functions; the transports
// (node:http in standalone.ts, msw in msw-handlers.ts) only turn what they received into a
// MockRequest (mock-request.ts) and hand the engine's ResponsePlan to the one plan writer
// (plan-writer.ts), through a sink of their own.

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

/**
 * What the plan writer (plan-writer.ts) does with a plan, whichever the transport:
 * - the headers go out together with the first write (after its delay); a stream starts with an
 *   empty write at delay 0 so that its headers go out at once; `slow-first-byte` delays that write;
 * - with no writes at all: `end` sends the headers and an empty body, `destroy` resets the connection
 *   before any response, `hang` sends nothing until the client goes away or the server closes;
 * - `heartbeat` (only with ending `hang`): after the last write, these bytes every `everyMs`
 *   (e.g. SSE keep-alive comments) until the client goes away.
 * Plans are shared with precomputed fixture data: treat `headers` and `writes` as immutable
 * (faults return changed copies).
 */
export interface ResponsePlan {
  status: number;
  headers: Record<string, string>;
  writes: PlannedWrite[];
  ending: PlanEnding;
  /** for the journal */
  scenario: string;
  faults: string[];
  heartbeat?: { everyMs: number; bytes: Uint8Array };
  /**
   * an answer recorded earlier (a fixture, a cassette): the transport adds no Date header of its own,
   * since `created` in it is judged against Date (a recorded `date` header, if any, is in headers)
   */
  recorded?: true;
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
  /**
   * the endpoint: 'chat' (chat completions), 'models' (the list), 'model' (one model) or 'health'
   * (only `plan` hooks run for /health)
   */
  route?: 'chat' | 'models' | 'model' | 'health';
  /** the request's headers, names lower-case */
  headers?: Record<string, string>;
  /** the request asked for a stream (`stream: true`) */
  stream?: boolean;
  /** the selected scenario: a fixture id, or 'default' for the synthesizer */
  scenario?: string;
  /** counted faults: 1 for the session's first request carrying this fault, 2 for the next... */
  attempt?: number;
}

/** Why the engine refuses a request, as handed to `Fault.validate`. */
export interface Refusal {
  status: number;
  body: unknown;
  /** which check refused it (absent when a fault made the refusal) */
  stage?: 'auth' | 'body-size' | 'json' | 'contract' | 'semantic' | 'model' | 'scenario';
  /** extra response headers (e.g. retry-after) */
  headers?: Record<string, string>;
}

/**
 * A fault is data: an id, what it breaks, and hooks at the stages of the pipeline
 * (request → validation → scenario → structured answer → bytes). Every hook is optional
 * and pure: it returns a changed copy or the same value.
 */
export interface Fault {
  id: string;
  description: string;
  /**
   * contract faults: the checks this fault legitimately fails besides the ones that name it as their
   * fault (a realistic deviation breaks more than one requirement); the fault matrix allows them
   */
  alsoBreaks?: string[];
  /** rewrite the parsed request before validation and synthesis (e.g. drop `n` to fake "ignored") */
  request?(req: ChatRequest, ctx: FaultContext): ChatRequest;
  /**
   * replace validation: return the error to send (or null to accept) given the validator's own refusal
   * (auth, body size, JSON, contract, semantic checks, unknown model; see Refusal.stage). Accepting a
   * request that did not parse hands the synthesizer an empty request (`{}`), which it answers anyway.
   */
  validate?(ctx: FaultContext, refusal: Refusal | null): { status: number; body: unknown } | Refusal | null;
  /** rewrite a non-stream completion */
  completion?(c: Completion, ctx: FaultContext): Completion;
  /** rewrite the event list of a stream (before framing) */
  events?(events: StreamEvent[], ctx: FaultContext): StreamEvent[];
  /** rewrite the final plan (status, headers, bytes, ending) */
  plan?(plan: ResponsePlan, ctx: FaultContext): ResponsePlan;
  /**
   * the `plan` hook needs one SSE event per write (e.g. drop-after:N counts writes): a replayed
   * fixture stream is then re-framed from its parsed events (its exact bytes are given up)
   */
  eventAligned?: boolean;
  /**
   * stateful: the engine counts the requests of each session (x-mock-session) that carry this fault
   * (same spec) and passes the count as ctx.attempt (API routes only; /health is not counted)
   */
  counted?: boolean;
  /** the parameter after the colon, for the listing and for checking it before the request runs */
  param?: {
    description: string;
    required?: boolean;
    /** a sentence saying what is wrong with the value, or null */
    check?(value: string): string | null;
  };
}
