// Helpers for the mock server's tests and benchmarks: requests to an engine, plans as text and JSON,
// raw HTTP requests, crowds of streams, the CLI in a child process. Test-only: not part of the package.
import { request as httpRequest } from 'node:http';
import { parseSseText } from '../lib/sse.ts';
import type { Engine } from '../mock-server/engine.ts';
import { toMockRequest } from '../mock-server/mock-request.ts';
import { concatBytes } from '../mock-server/respond.ts';
import type { MockRequest, ResponsePlan } from '../mock-server/types.ts';

/** Request headers that make the synthesizer answer at once (no time to first token, no gaps). */
export const NO_DELAYS: Readonly<Record<string, string>> = { 'x-mock-ttft-ms': '0', 'x-mock-chunk-delay-ms': '0' };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A request to an engine, as a transport would hand it over (a JSON body unless given bytes or text). */
export function mockRequest(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}): MockRequest {
  const bytes = body === undefined ? new Uint8Array(0) : body instanceof Uint8Array ? body : encoder.encode(typeof body === 'string' ? body : JSON.stringify(body));
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  if (body !== undefined && lower['content-type'] === undefined) lower['content-type'] = 'application/json';
  return toMockRequest(method, pathAndQuery, lower, bytes);
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

export interface ConcurrentStreamsOptions {
  streams: number;
  /** share of the clients (0..1) that abort after `abortAfterEvents` events */
  abortShare: number;
  abortAfterEvents?: number;
  /** x-mock-chunk-delay-ms for every stream */
  chunkDelayMs: number;
  model?: string;
}

export interface ConcurrentStreamsResult {
  /** streams read to their end */
  completed: number;
  /** of those, the ones whose last event is [DONE] */
  endedWithDone: number;
  aborted: number;
  /** what went wrong for clients that did not abort (status, reset, a stream without [DONE]) */
  errors: string[];
  ms: number;
}

/** Many synthesized streams at once, some clients leaving mid-stream (fetch + the project's SSE reader). */
export async function concurrentStreams(baseUrl: string, options: ConcurrentStreamsOptions): Promise<ConcurrentStreamsResult> {
  const { readSse } = await import('../lib/sse.ts');
  const started = performance.now();
  const aborting = Math.round(options.streams * options.abortShare);
  const result: ConcurrentStreamsResult = { completed: 0, endedWithDone: 0, aborted: 0, errors: [], ms: 0 };
  await Promise.all(
    Array.from({ length: options.streams }, async (_, i) => {
      // every (1/abortShare)-th client aborts, spread over the crowd
      const aborts = aborting > 0 && i % Math.floor(options.streams / aborting) === 0 && i / Math.floor(options.streams / aborting) < aborting;
      const controller = new AbortController();
      let events = 0;
      try {
        const res = await fetch(`${baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-mock-chunk-delay-ms': String(options.chunkDelayMs) },
          body: JSON.stringify({ model: options.model ?? 'gpt-4o-mini', messages: [{ role: 'user', content: `client ${i}: tell me a story` }], stream: true }),
          signal: controller.signal,
        });
        const sse = await readSse(res.body, {
          idleTimeoutMs: 30_000,
          signal: controller.signal,
          onEvent: () => {
            if (aborts && ++events >= (options.abortAfterEvents ?? 3)) controller.abort();
          },
        });
        if (aborts) {
          if (sse.end === 'aborted') result.aborted++;
          else result.errors.push(`client ${i} meant to abort, the stream ended with ${sse.end}`);
          return;
        }
        if (res.status !== 200) return void result.errors.push(`client ${i}: HTTP ${res.status}`);
        if (sse.end !== 'eof') return void result.errors.push(`client ${i}: ${sse.end} ${sse.endDetail ?? ''}`);
        result.completed++;
        if (sse.events[sse.events.length - 1]?.data === '[DONE]') result.endedWithDone++;
        else result.errors.push(`client ${i}: the stream ended without [DONE]`);
      } catch (error) {
        if (aborts && controller.signal.aborted) result.aborted++;
        else result.errors.push(`client ${i}: ${(error as Error).message}`);
      }
    }),
  );
  result.ms = performance.now() - started;
  return result;
}

export interface MockProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The mock's CLI in a child process of its own (node --import tsx mock-server/cli.ts --port 0 ARGS):
 * a test whose server might hang the event loop still fails by its request timeouts instead of freezing
 * the test runner.
 */
export async function spawnMock(args: string[] = []): Promise<MockProcess> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const cli = fileURLToPath(new URL('../mock-server/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the mock did not start within 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the mock exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
