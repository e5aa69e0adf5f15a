// The standalone server: node:http writing the engine's plans directly (no msw in the hot path),
// or, with viaMsw, routing every request through the msw handlers (msw.ts) for parity checks.
// Writes go out as planned: the headers with the first write, each write after its delay, never
// buffered (zero-delay runs are corked into one packet). A client that leaves stops the timers.
// `destroy` resets the socket once the bytes before it are flushed; `hang` keeps the connection
// open until the client or close() ends it. close() ends every connection, hanging ones included.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { registerSecret } from '../lib/redact.ts';
import { AccessLog } from './access-log.ts';
import { createEngine, DEFAULT_BODY_LIMIT, type Engine, type EngineOptions } from './engine.ts';
import { destroyAfterFlush, readBody } from './node-io.ts';
import { coalesce, errorBody, noDelays } from './respond.ts';
import type { MockRequest, ResponsePlan } from './types.ts';

export interface StartOptions extends EngineOptions {
  /** default 0 (a free port) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** answer through the msw handlers (msw's getResponse) instead of writing plans directly */
  viaMsw?: boolean;
  /** print nothing: no start-up line, no access log */
  quiet?: boolean;
  /** one line per request when the response is over (default: on unless quiet) */
  accessLog?: boolean;
  /** where the start-up line and the access log go (default: stdout) */
  logTo?: (text: string) => void;
  /** use this engine instead of creating one from the options */
  engine?: Engine;
}

export interface RunningMockServer {
  /** http://HOST:PORT (no /v1) */
  url: string;
  port: number;
  host: string;
  engine: Engine;
  server: Server;
  /** responses still being written (streams waiting for their next write, hanging responses) */
  openResponses(): number;
  /** stop listening and end every connection (hanging streams included) */
  close(): Promise<void>;
}

const EMPTY = new Uint8Array(0);
/** a response's late errors (the client left): nothing to do, nothing to crash */
const ignore = () => {};
/** shared by requests without a query string (never mutated) */
const NO_QUERY = new URLSearchParams();

function toMockRequest(req: IncomingMessage, body: Uint8Array): MockRequest {
  let url = req.url ?? '/';
  if (!url.startsWith('/')) {
    try {
      const u = new URL(url);
      url = u.pathname + u.search;
    } catch {
      url = '/';
    }
  }
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? NO_QUERY : new URLSearchParams(url.slice(q + 1)),
    headers: req.headers as Record<string, string>,
    body,
  };
}

/** Write a plan to a node response. Returns a function that stops it (timers) early. */
export function writePlan(plan: ResponsePlan, res: ServerResponse): () => void {
  const { writes, ending } = plan;
  // the common cases: one write, or (speed 0) no delays at all: one packet
  if (ending === 'end' && noDelays(writes)) {
    res.writeHead(plan.status, plan.headers);
    res.end(writes.length === 1 ? writes[0].bytes : coalesce(writes));
    return () => {};
  }
  let i = 0;
  let waited = false;
  let timer: NodeJS.Timeout | undefined;
  let interval: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (interval) clearInterval(interval);
  };
  res.once('close', stop);
  // each run of zero-delay writes goes out corked (one packet); before a wait, what was written
  // (the headers at least) is flushed
  const step = (): void => {
    timer = undefined;
    if (stopped || res.destroyed) return;
    res.cork();
    let wrote = false;
    while (i < writes.length) {
      const w = writes[i];
      if (w.delayMs > 0 && !waited) {
        waited = true;
        if (res.headersSent && !wrote) res.flushHeaders();
        res.uncork();
        timer = setTimeout(step, w.delayMs);
        return;
      }
      waited = false;
      if (!res.headersSent) res.writeHead(plan.status, plan.headers);
      if (w.bytes.byteLength > 0) {
        res.write(w.bytes);
        wrote = true;
      }
      i++;
    }
    if (ending === 'end') {
      if (!res.headersSent) res.writeHead(plan.status, plan.headers);
      // uncork before end(): Node 22 (not 20) holds a corked response's chunked writes until
      // uncork(), and end() writes the terminating 0-chunk before them, so they would land after
      // the end of the body. The socket stays corked until end(): still one packet.
      res.socket?.cork();
      res.uncork();
      res.end();
      stopped = true;
      return;
    }
    if (res.headersSent && !wrote) res.flushHeaders();
    res.uncork();
    if (ending === 'destroy') {
      stopped = true;
      destroyAfterFlush(res);
    } else if (plan.heartbeat) {
      if (!res.headersSent) {
        res.writeHead(plan.status, plan.headers);
        res.flushHeaders();
      }
      const beat = plan.heartbeat;
      interval = setInterval(() => {
        if (res.destroyed) return stop();
        res.write(beat.bytes);
      }, beat.everyMs);
    }
    // ending 'hang' without heartbeat: nothing more; 'close' stops us
  };
  step();
  return stop;
}

function rawError(socket: Socket, status: number, reason: string, message: string): void {
  const body = JSON.stringify(errorBody(message, 'invalid_request_error', null, null));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** The engine, telling `seen` each request's plan (the access log reads the plans of msw's answers this way). */
function observing(engine: Engine, seen: (req: MockRequest, plan: ResponsePlan) => void): Engine {
  const observed = Object.create(engine) as Engine;
  observed.handleSync = (req) => {
    const plan = engine.handleSync(req);
    seen(req, plan);
    return plan;
  };
  observed.handle = (req) => Promise.resolve(observed.handleSync(req));
  return observed;
}

/** Log each response when it is over; the plan is found by the request's headers object. */
function logResponses(log: AccessLog, plans: WeakMap<object, ResponsePlan>, listener: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    res.once('close', () => {
      const plan = plans.get(req.headers);
      if (!plan) return; // refused before the engine saw it (malformed request)
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const cut = res.writableFinished ? undefined : plan.ending === 'destroy' ? 'reset' : 'client left';
      log.record({ method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), plan, durationMs: performance.now() - started, ...(cut ? { cut } : {}) });
    });
    listener(req, res);
  };
}

export async function startMockServer(options: StartOptions = {}): Promise<RunningMockServer> {
  const given = options.engine ?? createEngine(options);
  const limit = (options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT) + 1;
  const host = options.host ?? '127.0.0.1';
  const active = new Set<() => void>();
  const write = options.logTo ?? ((text: string) => void process.stdout.write(text));
  registerSecret(options.requireKey);
  const logging = options.accessLog ?? !options.quiet;
  const plans = new WeakMap<object, ResponsePlan>();
  const engine = logging ? observing(given, (req, plan) => plans.set(req.headers, plan)) : given;

  let listener: (req: IncomingMessage, res: ServerResponse) => void;
  if (options.viaMsw) {
    const { createHandlers, mswRequestListener } = await import('./msw.ts');
    listener = mswRequestListener(createHandlers(engine, { origin: '*' }), { bodyLimitBytes: options.bodyLimitBytes });
  } else {
    const answer = (req: IncomingMessage, res: ServerResponse, body: Uint8Array): void => {
      let plan: ResponsePlan;
      try {
        plan = engine.handleSync(toMockRequest(req, body));
      } catch (error) {
        const text = JSON.stringify(errorBody(`The mock server failed: ${(error as Error)?.message}`, 'server_error'));
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      if (res.destroyed) return;
      const stop = writePlan(plan, res);
      if (!res.writableEnded) {
        active.add(stop);
        res.once('close', () => active.delete(stop));
      }
    };
    listener = (req, res) => {
      res.on('error', ignore);
      const method = req.method;
      if ((method === 'GET' || method === 'HEAD') && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
        req.resume();
        answer(req, res, EMPTY);
      } else {
        readBody(req, limit, (body) => answer(req, res, body));
      }
    };
  }

  const log = logging ? new AccessLog(write) : undefined;
  const server = createServer({ keepAliveTimeout: 5000 }, log ? logResponses(log, plans, listener) : listener);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') return rawError(socket, 431, 'Request Header Fields Too Large', 'The request headers are too large.');
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return rawError(socket, 408, 'Request Timeout', 'The request was not received in time.');
    rawError(socket, 400, 'Bad Request', `The HTTP request is malformed (${error.code ?? 'parse error'}).`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  if (!options.quiet) {
    const models = given.models.strict ? `models: ${given.models.listed.join(', ')}` : 'any model name';
    write(`oai-compat mock server listening on ${url}/v1${options.viaMsw ? ' (via msw)' : ''} (pid ${process.pid}; ${models})\n`);
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    engine: given,
    server,
    openResponses: () => active.size,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const stop of active) stop();
        active.clear();
        server.close(() => {
          log?.flush(); // the lines of the responses that close() ended
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
