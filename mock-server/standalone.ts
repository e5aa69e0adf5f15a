// The standalone server: node:http writing the engine's plans directly (no msw in the hot path),
// or, with viaMsw, routing every request through the msw handlers (msw.ts) for parity checks.
// Plans are written by plan-writer.ts through node-io.ts: the headers with the first write, each
// write after its delay, never buffered. A client that leaves stops the timers; `hang` keeps the
// connection open until the client or close() ends it. close() ends every connection, hanging ones
// included. The fixtures are read from disk here (node-engine.ts) unless given.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { registerSecret } from '../lib/redact.ts';
import { AccessLog } from './access-log.ts';
import { DEFAULT_BODY_LIMIT, type Engine } from './engine.ts';
import { createNodeEngine, type NodeEngineOptions } from './node-engine.ts';
import { toMockRequest } from './mock-request.ts';
import { readBody, writeResponse } from './node-io.ts';
import { errorBody } from './respond.ts';
import type { MockRequest, ResponsePlan } from './types.ts';

export interface StartOptions extends NodeEngineOptions {
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
  const given = options.engine ?? createNodeEngine(options);
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
        plan = engine.handleSync(toMockRequest(req.method ?? 'GET', req.url ?? '/', req.headers as Record<string, string>, body));
      } catch (error) {
        const text = JSON.stringify(errorBody(`The mock server failed: ${(error as Error)?.message}`, 'server_error'));
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      if (res.destroyed) return;
      const stop = writeResponse(plan, res);
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
