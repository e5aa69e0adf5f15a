// The msw transport: request handlers built from the engine, for in-process tests (setupServer in
// Node, setupWorker in a browser) and for the standalone server's --via-msw mode, where a small
// node:http adapter hands each request to msw's `getResponse`. In a browser, mock-server/browser.ts
// registers these handlers with setupWorker (bundled by browser-build.ts; tested in browser.test.ts).
//
// Every handler does the same: turn the fetch Request into a MockRequest, ask the engine for a plan,
// and answer with a Response whose body is a ReadableStream writing the plan's bytes after their
// delays (the first write's delay holds back the headers, as in the node:http transport). A plan
// ending in `destroy` errors the stream (before headers: Response.error(), a network error); `hang`
// never closes it until the client cancels. msw's sse() helper is not used: the plan's bytes are
// already the exact SSE bytes.
//
// Written for msw 3: it only uses `http.*`, `getResponse`, `setupServer` and plain Response objects.
// msw 3 intercepts at the socket and writes the Response as HTTP/1.1, so streamed bodies declare their
// chunked framing (see planToResponse).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { destroyAfterFlush, readBody } from './node-io.ts';
import { getResponse, http, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { createEngine, DEFAULT_BODY_LIMIT, type Engine, type EngineOptions } from './engine.ts';
import { coalesce, concatBytes, errorBody, noDelays, statusHasNoBody } from './respond.ts';
import type { MockRequest, ResponsePlan } from './types.ts';

export const DEFAULT_ORIGIN = 'https://mock.oai-compat.local';

const RESET = new Error('oai-compat mock: connection reset (fault)');
/** how long a reset waits after the last chunk was taken, so that piped streams deliver it first */
const RESET_GRACE_MS = 25;

export interface HandlerOptions {
  /** the origin the handlers answer for, e.g. https://mock.oai-compat.local; '*' (default) answers any origin */
  origin?: string;
}

function isEngine(x: unknown): x is Engine {
  return typeof (x as Engine)?.handle === 'function' && typeof (x as Engine)?.handleSync === 'function';
}

/** Responses whose whole body was there at once (no delays), with it: the --via-msw adapter writes them in one piece. */
const wholeBodies = new WeakMap<Response, Uint8Array>();

/** The engine's plan as a fetch Response (the body streamed with the planned delays). */
export async function planToResponse(plan: ResponsePlan, signal?: AbortSignal): Promise<Response> {
  const { writes } = plan;
  const init: ResponseInit = { status: plan.status, headers: plan.headers };
  const noBody = statusHasNoBody(plan.status);
  if (writes.length === 0 && !plan.heartbeat) {
    if (plan.ending === 'destroy') return Response.error();
    if (plan.ending === 'hang') {
      await untilAborted(signal);
      return Response.error();
    }
    return new Response(null, init);
  }
  if (writes.length > 0 && writes[0].delayMs > 0) await sleep(writes[0].delayMs, signal);
  if (plan.ending === 'end' && (writes.length === 1 || noDelays(writes.slice(1)))) {
    const body = noBody ? null : writes.length === 1 ? writes[0].bytes : coalesce(writes);
    const response = new Response(body as BodyInit | null, init);
    if (body) wholeBodies.set(response, body);
    return response;
  }
  if (noBody) return new Response(null, init);
  // A streamed body of unknown length is sent chunked, as the node:http server does. msw 3 mocks at
  // the socket: it writes this Response as HTTP/1.1 with only the framing its headers declare, and
  // on a body error it destroys the socket; without chunked framing that reads as a clean end.
  if (plan.headers['content-length'] === undefined) init.headers = { ...plan.headers, 'transfer-encoding': 'chunked' };
  let timer: NodeJS.Timeout | undefined;
  let interval: NodeJS.Timeout | undefined;
  let closed = false;
  let resetPending = false;
  const resetSoon = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    timer = setTimeout(() => {
      try {
        controller.error(RESET);
      } catch {
        // already cancelled
      }
    }, RESET_GRACE_MS);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let i = 0;
      let waited = false;
      const step = (): void => {
        timer = undefined;
        if (closed) return;
        while (i < writes.length) {
          const w = writes[i];
          if (i > 0 && w.delayMs > 0 && !waited) {
            waited = true;
            timer = setTimeout(step, w.delayMs);
            return;
          }
          waited = false;
          // a run of writes without delays goes out as one chunk
          let j = i + 1;
          while (j < writes.length && writes[j].delayMs <= 0) j++;
          const bytes = j === i + 1 ? w.bytes : concatBytes(writes.slice(i, j).map((x) => x.bytes));
          if (bytes.byteLength > 0) controller.enqueue(bytes);
          i = j;
        }
        if (plan.ending === 'end') {
          closed = true;
          controller.close();
        } else if (plan.ending === 'destroy') {
          // error() drops chunks still queued, here and in any stream piped from this one (msw's
          // interceptor, the client's fetch): error once the reader has taken them all, a moment later
          closed = true;
          if ((controller.desiredSize ?? 0) > 0) resetSoon(controller);
          else resetPending = true;
        } else if (plan.heartbeat) {
          const beat = plan.heartbeat;
          interval = setInterval(() => {
            try {
              controller.enqueue(beat.bytes);
            } catch {
              clearInterval(interval);
            }
          }, beat.everyMs);
        }
      };
      step();
    },
    pull(controller) {
      if (resetPending) {
        resetPending = false;
        resetSoon(controller);
      }
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (interval) clearInterval(interval);
    },
  });
  signal?.addEventListener(
    'abort',
    () => {
      closed = true;
      if (timer) clearTimeout(timer);
      if (interval) clearInterval(interval);
    },
    { once: true },
  );
  return new Response(body, init);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function untilAborted(signal?: AbortSignal): Promise<void> {
  return new Promise((_resolve, reject) => {
    if (!signal) return; // no way to learn that the client left: hang for good
    if (signal.aborted) return reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true });
  });
}

/**
 * The --via-msw adapter already holds the node request's headers and body bytes: it hands them to the
 * handlers beside the fetch Request (msw passes that same Request object to the resolver), so they are
 * not copied into a body stream, teed by msw's request clone, and read back.
 */
const fromNode = new WeakMap<Request, { headers: Record<string, string>; body: Uint8Array }>();

/** A fetch Request as the engine's MockRequest. */
export async function toMockRequest(request: Request): Promise<MockRequest> {
  const url = new URL(request.url);
  const side = fromNode.get(request);
  if (side) return { method: request.method, path: url.pathname, query: url.searchParams, headers: side.headers, body: side.body };
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = request.method === 'GET' || request.method === 'HEAD' || !request.body ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
  return { method: request.method, path: url.pathname, query: url.searchParams, headers, body };
}

/**
 * msw handlers answering like the mock server: chat completions, models, health (also without
 * /v1), Azure deployment paths, /__mock/*, and a catch-all for that origin (404/405 envelopes).
 */
export function createHandlers(engineOrOptions: Engine | EngineOptions = {}, options: HandlerOptions = {}): RequestHandler[] {
  const engine = isEngine(engineOrOptions) ? engineOrOptions : createEngine(engineOrOptions);
  const origin = (options.origin ?? '*').replace(/\/+$/, '');
  const resolver = async ({ request }: { request: Request }) => {
    const mock = await toMockRequest(request);
    const plan = engine.handleSync(mock);
    return planToResponse(plan, request.signal);
  };
  return [
    http.post(`${origin}/v1/chat/completions`, resolver),
    http.post(`${origin}/chat/completions`, resolver),
    http.post(`${origin}/openai/deployments/:deployment/chat/completions`, resolver),
    http.get(`${origin}/v1/models`, resolver),
    http.get(`${origin}/models`, resolver),
    http.get(`${origin}/v1/models/*`, resolver),
    http.get(`${origin}/models/*`, resolver),
    http.get(`${origin}/health`, resolver),
    http.all(`${origin}/*`, resolver),
  ];
}

type SetupServerApi = ReturnType<typeof setupServer>;

export interface MockServerInProcess {
  server: SetupServerApi;
  engine: Engine;
  origin: string;
  /** origin + /v1: the base URL for OpenAI clients */
  baseUrl: string;
  /** start intercepting (requests to other origins pass through) */
  listen(options?: Parameters<SetupServerApi['listen']>[0]): void;
  close(): void;
}

/** let requests without a handler through, silently */
const BYPASS = { onUnhandledFrame: 'bypass' } as const;

/** msw's setupServer with the mock's handlers, for in-process client tests. Call listen() and close(). */
export function setupMockServer(options: EngineOptions & { origin?: string; engine?: Engine } = {}): MockServerInProcess {
  const engine = options.engine ?? createEngine(options);
  const origin = (options.origin ?? DEFAULT_ORIGIN).replace(/\/+$/, '');
  const server = setupServer(...createHandlers(engine, { origin }));
  return {
    server,
    engine,
    origin,
    baseUrl: `${origin}/v1`,
    listen: (o) => server.listen({ ...BYPASS, ...o }),
    close: () => server.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// node:http → msw getResponse adapter (the standalone server's --via-msw mode)


function sendError(res: ServerResponse, status: number, message: string, type: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(message, type));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A node:http request listener that answers through msw handlers (streamed, errors → socket reset). */
export function mswRequestListener(handlers: RequestHandler[], options: { bodyLimitBytes?: number } = {}) {
  const limit = (options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT) + 1;
  return (req: IncomingMessage, res: ServerResponse): void => {
    void answer(req, res).catch(() => destroyAfterFlush(res));
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<Uint8Array>((resolve) => readBody(req, limit, resolve));
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const method = req.method ?? 'GET';
    let request: Request;
    try {
      const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
      // the body bytes travel beside the Request (see fromNode); other msw handlers would see none
      request = new Request(`http://${host}${req.url?.startsWith('/') ? req.url : '/'}`, {
        method,
        headers: req.headers as Record<string, string>,
        signal: controller.signal,
      });
      fromNode.set(request, { headers: req.headers as Record<string, string>, body });
    } catch (error) {
      sendError(res, 400, `The request cannot be represented as a fetch Request: ${(error as Error).message}`, 'invalid_request_error');
      return;
    }
    let response: Response | undefined;
    try {
      response = await getResponse(handlers, request);
    } catch (error) {
      if (controller.signal.aborted) return;
      sendError(res, 500, `The msw handlers failed: ${(error as Error)?.message ?? String(error)}`, 'server_error');
      return;
    }
    if (controller.signal.aborted) return;
    if (!response) {
      sendError(res, 404, `Invalid URL (${method} ${req.url})`, 'invalid_request_error');
      return;
    }
    if (response.type === 'error') {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      // node:http frames the body itself (chunked for HTTP/1.1, none for HTTP/1.0 clients)
      if (name !== 'transfer-encoding') headers[name] = value;
    });
    const cookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    res.writeHead(response.status, headers);
    if (!response.body) {
      res.end();
      return;
    }
    const whole = wholeBodies.get(response);
    if (whole) {
      // one write, headers and body in one packet (a streamed body's headers go out at once, below)
      res.end(whole);
      return;
    }
    res.flushHeaders();
    const reader = response.body.getReader();
    res.on('close', () => {
      reader.cancel().catch(() => {});
    });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (res.destroyed) return;
        res.write(value);
      }
      res.end();
    } catch {
      destroyAfterFlush(res);
    }
  }
}
