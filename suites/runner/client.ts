// Sends one request to the endpoint under test and captures everything a check may judge:
// status, headers, the body (streams read incrementally with the one SSE reader, every event timed),
// and a network-level error instead of an exception when the server hangs, resets or sends garbage.
import { DEFAULT_MAX_BODY_MB, type RunConfig } from '../../lib/config.ts';
import { redactHeaders, redactJson, redactText, redactUrl } from '../../lib/redact.ts';
import { describeNetworkError, readBody, readSse, type SseCapture } from '../../lib/sse.ts';

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** relative to BASE_URL, default /chat/completions */
  path?: string;
  /** a JSON body; `model` is filled in with the run's model when absent (set it to null to leave it out) */
  body?: Record<string, unknown>;
  /** exact body text instead of `body` (malformed JSON) */
  rawBody?: string;
  headers?: Record<string, string>;
  /** credentials: as configured, none at all, or a wrong key */
  auth?: 'default' | 'none' | 'wrong';
  /** read the body as SSE even if the response does not say text/event-stream (default: body.stream === true) */
  stream?: boolean;
}

export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown; rawBody?: string };
  /** 0 when no response arrived */
  status: number;
  headers: Record<string, string>;
  contentType: string;
  /** the body as text (for streams: the raw bytes decoded leniently) */
  text: string;
  /** non-stream: the parsed JSON body, when it parsed */
  json?: unknown;
  /** non-stream: why the body did not parse as JSON */
  jsonError?: string;
  /** streams: the SSE capture */
  sse?: SseCapture;
  /** streams: every data event except [DONE], parsed (or the parse error) */
  events?: { data: string; json?: any; error?: string; atMs: number }[];
  /** streams: index of the [DONE] event in sse.events, or -1 */
  doneIndex?: number;
  /** a network-level failure: refused, reset, timeout, invalid UTF-8 (for streams also in sse.end) */
  error?: string;
  timings: { headersMs?: number; ttftMs?: number; totalMs: number };
}

export const WRONG_KEY = 'sk-oai-compat-wrong-key-000000000000';

/**
 * A body larger than the suite keeps in memory (RunConfig.maxBodyMb, OAI_COMPAT_MAX_BODY_MB): the
 * check cannot be judged, and says so, rather than judging a truncated body as "not JSON".
 */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(bytes: number | undefined, limitMb: number) {
    const size = bytes === undefined ? `more than ${limitMb} MB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    super(`the body of ${size} exceeds the suite's limit of ${limitMb} MB (OAI_COMPAT_MAX_BODY_MB raises it)`);
  }
}

let requestsSent = 0;

/** How many requests this process has sent (a check that sent none judged answers shared with earlier checks). */
export function sentRequests(): number {
  return requestsSent;
}

export function buildUrl(config: RunConfig, path: string): string {
  const url = new URL(config.baseUrl + (path.startsWith('/') ? path : `/${path}`));
  if (config.profile.auth.style === 'azure' && !url.searchParams.has('api-version')) {
    url.searchParams.set('api-version', config.profile.auth.apiVersion ?? '2024-10-21');
  }
  return url.toString();
}

export function authHeaders(config: RunConfig, mode: RequestSpec['auth'] = 'default'): Record<string, string> {
  if (mode === 'none') return {};
  const key = mode === 'wrong' ? WRONG_KEY : config.apiKey;
  if (!key) return {};
  if (config.profile.auth.style === 'azure') return { 'api-key': key };
  if (config.profile.auth.style === 'none' && mode !== 'wrong') return {};
  return { authorization: `Bearer ${key}` };
}

export async function send(config: RunConfig, spec: RequestSpec, model: string | undefined): Promise<Exchange> {
  const method = spec.method ?? (spec.body || spec.rawBody !== undefined ? 'POST' : 'GET');
  const url = buildUrl(config, spec.path ?? '/chat/completions');
  let body: Record<string, unknown> | undefined;
  if (spec.body) {
    body = { ...spec.body };
    if (!('model' in body)) body.model = model;
    else if (body.model === null) delete body.model;
  }
  const headers: Record<string, string> = {
    ...(body || spec.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
    accept: body?.stream === true || spec.stream ? 'text/event-stream' : 'application/json',
    ...config.extraHeaders,
    ...authHeaders(config, spec.auth),
    ...spec.headers,
  };
  const payload = spec.rawBody ?? (body ? JSON.stringify(body) : undefined);
  const limitMb = config.maxBodyMb ?? DEFAULT_MAX_BODY_MB;
  const maxBytes = limitMb * 1024 * 1024;
  let tooLarge: BodyTooLargeError | undefined;
  const exchange: Exchange = {
    request: {
      method,
      url: redactUrl(url),
      headers: redactHeaders(headers),
      ...(body ? { body: redactJson(body) } : {}),
      ...(spec.rawBody !== undefined ? { rawBody: spec.rawBody.slice(0, 2000) } : {}),
    },
    status: 0,
    headers: {},
    contentType: '',
    text: '',
    timings: { totalMs: 0 },
  };
  const { request: requestMs, idle: idleMs } = config.profile.timeouts;
  const controller = new AbortController();
  const startedAt = performance.now();
  const deadline = setTimeout(() => controller.abort(new Error(`no response headers within ${requestMs} ms`)), requestMs);
  let response: Response;
  requestsSent++;
  try {
    response = await fetch(url, { method, headers, body: payload, signal: controller.signal, redirect: 'manual' });
  } catch (error) {
    clearTimeout(deadline);
    exchange.error = controller.signal.aborted ? `timeout: no response headers within ${requestMs} ms` : describeNetworkError(error);
    exchange.timings.totalMs = performance.now() - startedAt;
    return exchange;
  }
  exchange.timings.headersMs = performance.now() - startedAt;
  exchange.status = response.status;
  exchange.headers = redactHeaders(response.headers);
  exchange.contentType = response.headers.get('content-type') ?? '';
  const asStream = spec.stream ?? (body?.stream === true || exchange.contentType.includes('text/event-stream'));
  try {
    if (asStream) {
      const sse = await readSse(response.body, { startedAt, idleTimeoutMs: idleMs, deadlineMs: requestMs, signal: controller.signal, maxRawBytes: maxBytes, maxTotalBytes: maxBytes });
      if (sse.end === 'limit') throw new BodyTooLargeError(undefined, limitMb);
      exchange.sse = sse;
      exchange.text = new TextDecoder().decode(sse.raw);
      exchange.doneIndex = sse.events.findIndex((e) => e.data === '[DONE]');
      exchange.events = sse.events
        .filter((e) => e.data !== '[DONE]')
        .map((e) => {
          try {
            return { data: e.data, json: JSON.parse(e.data), atMs: e.atMs };
          } catch (err) {
            return { data: e.data, error: (err as Error).message, atMs: e.atMs };
          }
        });
      const firstData = sse.events.find((e) => e.data !== '[DONE]');
      if (firstData) exchange.timings.ttftMs = firstData.atMs;
      if (sse.end === 'aborted' && controller.signal.aborted) {
        // the request's own deadline fired (it aborts the controller): say so rather than "aborted"
        exchange.error = `stream deadline: the body did not end within ${requestMs} ms`;
      } else if (sse.end !== 'eof') exchange.error = `stream ${sse.end}: ${sse.endDetail ?? ''}`.trim();
    } else {
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > maxBytes) throw new BodyTooLargeError(declared, limitMb);
      exchange.text = await readText(response, { startedAt, requestMs, idleMs, maxBytes, limitMb });
      if (exchange.text.length > 0) {
        try {
          exchange.json = JSON.parse(exchange.text);
        } catch (err) {
          exchange.jsonError = (err as Error).message;
        }
      }
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) tooLarge = error;
    else exchange.error = controller.signal.aborted ? `timeout: the body did not end within ${requestMs} ms` : (error as Error).message;
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  if (tooLarge) throw tooLarge;
  exchange.timings.totalMs = performance.now() - startedAt;
  return exchange;
}

/** Read a whole non-stream body, strictly as UTF-8, with an idle timeout and the size limit. */
async function readText(response: Response, o: { startedAt: number; requestMs: number; idleMs: number; maxBytes: number; limitMb: number }): Promise<string> {
  const body = await readBody(response.body, { startedAt: o.startedAt, idleTimeoutMs: o.idleMs, deadlineMs: o.requestMs, maxBytes: o.maxBytes });
  if (body.end === 'limit') throw new BodyTooLargeError(undefined, o.limitMb);
  if (body.end !== 'eof') throw new Error(`body ${body.end}: ${body.endDetail ?? ''} after ${body.totalBytes} bytes`);
  return body.text;
}

/** Whether the response is a clean refusal: a 4xx whose body is the OpenAI error envelope. */
export function isCleanRefusal(x: Exchange): boolean {
  if (x.status < 400 || x.status >= 500) return false;
  const e = (x.json as any)?.error;
  return !!e && typeof e === 'object' && typeof e.message === 'string';
}

/** A short, secret-free description of what came back, for failure messages. */
export function describeResponse(x: Exchange, max = 300): string {
  if (x.status === 0) return `no response (${x.error ?? 'unknown error'})`;
  // Head and tail: what went wrong at the end of a stream (no [DONE], a cut) is often in the last bytes.
  const tail = Math.floor(max / 3);
  const body = x.text.length > max ? `${x.text.slice(0, max - tail)} … ${x.text.slice(-tail)} (${x.text.length} chars)` : x.text;
  const err = x.error ? ` [${x.error}]` : '';
  return redactText(`${x.status} ${x.contentType || '(no content-type)'} ${JSON.stringify(body)}${err}`);
}

export function describeRequest(x: Exchange, max = 300): string {
  const body = x.request.body !== undefined ? JSON.stringify(x.request.body) : x.request.rawBody;
  const shown = body && body.length > max ? `${body.slice(0, max)}…` : body;
  const path = new URL(x.request.url).pathname;
  return `${x.request.method} ${path}${shown ? ` ${shown}` : ''}`;
}
