// A plan as a fetch Response, for the msw handlers (msw-handlers.ts): the PlanSink of the fetch world,
// driven by the same plan writer as the node:http transport. The Response is handed over when the
// first run of writes is due (the first write's delay holds back the headers, as on node:http). A body
// complete at once is a plain body; any other is a ReadableStream fed by the plan writer. A reset
// before the headers is Response.error() (a network error), after them an error of the stream; an
// abort before the headers rejects. msw's sse() helper is not used: the plan's bytes are already the
// exact SSE bytes.
import { writePlan, type PlanSink, type StopWriting } from './plan-writer.ts';
import { statusHasNoBody } from './respond.ts';
import type { ResponsePlan } from './types.ts';

const RESET = new Error('oai-compat mock: connection reset (fault)');
/** how long a reset waits after the last chunk was taken, so that piped streams deliver it first */
const RESET_GRACE_MS = 25;

/** Responses whose whole body was there at once (no delays), with it: the --via-msw adapter writes them in one piece. */
const wholeBodies = new WeakMap<Response, Uint8Array>();

/** The body of a Response made whole by planToResponse, if it was. */
export function wholeBodyOf(response: Response): Uint8Array | undefined {
  return wholeBodies.get(response);
}

/** The engine's plan as a fetch Response (the body streamed with the planned delays). */
export function planToResponse(plan: ResponsePlan, signal?: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const sink = new ResponseSink(plan, resolve);
    const stop = writePlan(plan, sink);
    if (sink.done) {
      stop(); // nothing more goes into this Response: no timers left running
      return;
    }
    sink.stopWriting = stop;
    if (!signal) return; // no way to learn that the client left: a hanging plan hangs for good
    const abort = () => {
      stop();
      if (!sink.abort()) reject(signal.reason ?? new Error('aborted'));
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

class ResponseSink implements PlanSink {
  /** the Response was handed over */
  private handedOver = false;
  /** nothing more goes into the body: it is complete, reset, cancelled, or there is none */
  done = false;
  /** set once the writer runs: stops it when the reader cancels the stream */
  stopWriting: StopWriting | undefined;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private resetTimer: ReturnType<typeof setTimeout> | undefined;
  private resetPending = false;

  constructor(
    private readonly plan: ResponsePlan,
    private readonly resolve: (response: Response) => void,
  ) {}

  send(bytes: Uint8Array, last: boolean): void {
    if (!this.handedOver) return this.handOver(bytes, last);
    if (this.done) return;
    if (bytes.byteLength > 0) {
      try {
        this.controller!.enqueue(bytes);
      } catch {
        // the stream was cancelled meanwhile
      }
    }
    if (last) {
      this.done = true;
      this.controller!.close();
    }
  }

  reset(): void {
    if (!this.handedOver) {
      this.handedOver = true;
      this.done = true;
      this.resolve(Response.error());
      return;
    }
    if (this.done) return;
    this.done = true;
    // error() drops chunks still queued, here and in any stream piped from this one (msw's
    // interceptor, the client's fetch): error once the reader has taken them all, a moment later
    if ((this.controller!.desiredSize ?? 0) > 0) this.resetSoon();
    else this.resetPending = true;
  }

  /** The client went away. Returns whether a Response had been handed over already. */
  abort(): boolean {
    this.done = true;
    if (this.resetTimer !== undefined) clearTimeout(this.resetTimer);
    return this.handedOver;
  }

  private handOver(bytes: Uint8Array, last: boolean): void {
    this.handedOver = true;
    const { status, headers } = this.plan;
    const noBody = statusHasNoBody(status);
    if (last || noBody) {
      this.done = true;
      const body = noBody || bytes.byteLength === 0 ? null : bytes;
      const response = new Response(body as BodyInit | null, { status, headers });
      if (body) wholeBodies.set(response, body);
      this.resolve(response);
      return;
    }
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      pull: () => {
        if (!this.resetPending) return;
        this.resetPending = false;
        this.resetSoon();
      },
      cancel: () => {
        this.abort();
        this.stopWriting?.();
      },
    });
    if (bytes.byteLength > 0) this.controller!.enqueue(bytes);
    // A streamed body of unknown length is sent chunked, as the node:http server does. msw 3 mocks at
    // the socket: it writes this Response as HTTP/1.1 with only the framing its headers declare, and
    // on a body error it destroys the socket; without chunked framing that reads as a clean end.
    const framed = headers['content-length'] === undefined ? { ...headers, 'transfer-encoding': 'chunked' } : headers;
    this.resolve(new Response(body, { status, headers: framed }));
  }

  private resetSoon(): void {
    this.resetTimer = setTimeout(() => {
      try {
        this.controller!.error(RESET);
      } catch {
        // already cancelled
      }
    }, RESET_GRACE_MS);
  }
}
