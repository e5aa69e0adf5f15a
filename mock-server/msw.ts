// The msw transport in Node: handlers built from an engine (msw-handlers.ts; the engine reads the
// fixtures from disk when it is not given one), setupServer for in-process tests, and the node:http
// adapter of the standalone server's --via-msw mode, which hands each request to msw's `getResponse`.
// In a browser, browser.ts registers the same handlers with setupWorker (bundled by browser-build.ts;
// tested in browser.test.ts). This is the package's `oai-compat/msw` entry.
//
// Written for msw 3: it only uses `getResponse`, `setupServer` and plain Request and Response objects.
// msw 3 intercepts at the socket and writes the Response as HTTP/1.1, so streamed bodies declare their
// chunked framing (see fetch-response.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getResponse, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { DEFAULT_BODY_LIMIT, type Engine } from './engine.ts';
import { wholeBodyOf } from './fetch-response.ts';
import { attachNodeRequest, DEFAULT_ORIGIN, handlersFor, type HandlerOptions } from './msw-handlers.ts';
import { createNodeEngine, type NodeEngineOptions } from './node-engine.ts';
import { destroyAfterFlush, readBody } from './node-io.ts';
import { errorBody } from './respond.ts';

export { planToResponse } from './fetch-response.ts';
export { DEFAULT_ORIGIN, type HandlerOptions };

function isEngine(x: unknown): x is Engine {
  return typeof (x as Engine)?.handle === 'function' && typeof (x as Engine)?.handleSync === 'function';
}

/**
 * msw handlers answering like the mock server (see msw-handlers.ts), for an engine or for the options
 * of a new one (its fixtures read from `fixturesDir`, default <repo>/fixtures, unless given).
 */
export function createHandlers(engineOrOptions: Engine | NodeEngineOptions = {}, options: HandlerOptions = {}): RequestHandler[] {
  return handlersFor(isEngine(engineOrOptions) ? engineOrOptions : createNodeEngine(engineOrOptions), options);
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
export function setupMockServer(options: NodeEngineOptions & { origin?: string; engine?: Engine } = {}): MockServerInProcess {
  const engine = options.engine ?? createNodeEngine(options);
  const origin = (options.origin ?? DEFAULT_ORIGIN).replace(/\/+$/, '');
  const server = setupServer(...handlersFor(engine, { origin }));
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
      // the body bytes travel beside the Request (attachNodeRequest); other msw handlers would see none
      request = new Request(`http://${host}${req.url?.startsWith('/') ? req.url : '/'}`, {
        method,
        headers: req.headers as Record<string, string>,
        signal: controller.signal,
      });
      attachNodeRequest(request, req.headers as Record<string, string>, body);
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
    const whole = wholeBodyOf(response);
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
