// Helpers for the mock server's tests (and anyone driving the engine in-process).
import { request as httpRequest } from 'node:http';
import { parseSseText } from '../lib/sse.ts';
import type { Engine } from './engine.ts';
import { concatBytes } from './respond.ts';
import type { MockRequest, ResponsePlan } from './types.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function mockRequest(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}): MockRequest {
  const q = pathAndQuery.indexOf('?');
  const bytes = body === undefined ? new Uint8Array(0) : body instanceof Uint8Array ? body : encoder.encode(typeof body === 'string' ? body : JSON.stringify(body));
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  if (body !== undefined && lower['content-type'] === undefined) lower['content-type'] = 'application/json';
  return {
    method,
    path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : pathAndQuery.slice(q + 1)),
    headers: lower,
    body: bytes,
  };
}

export function planBytes(plan: ResponsePlan): Uint8Array {
  return concatBytes(plan.writes.map((w) => w.bytes));
}

export function planText(plan: ResponsePlan): string {
  return decoder.decode(planBytes(plan));
}

export function planJson(plan: ResponsePlan): any {
  return JSON.parse(planText(plan));
}

/** The data payloads of a stream plan. */
export function planEvents(plan: ResponsePlan): string[] {
  return parseSseText(planText(plan)).events.map((e) => e.data);
}

/** Parsed chunks of a stream plan ([DONE] left out). */
export function planChunks(plan: ResponsePlan): any[] {
  return planEvents(plan)
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d));
}

/** POST /v1/chat/completions to an engine. */
export function chat(engine: Engine, body: unknown, headers: Record<string, string> = {}): ResponsePlan {
  return engine.handleSync(mockRequest('POST', '/v1/chat/completions', body, headers));
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** set when the connection broke before the response ended */
  error?: string;
}

/** One request with node:http (any method, any body), the exact bytes back. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; timeoutMs?: number; agent?: any } = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error: e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error: 'aborted' }));
    });
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), error: e.message }));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export function userMessage(text: string) {
  return [{ role: 'user', content: text }];
}
