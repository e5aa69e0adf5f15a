// Cassettes: a whole suite run against a real endpoint, recorded exchange by exchange and replayed
// offline by request, so that verdicts can be judged again without the endpoint (DESIGN.md, "Fixtures
// and cassettes"). A cassette is a JSON Lines file, one exchange per line:
//   {"request": {"method", "path", "auth", "body" | "rawBody"}, "response": {"status", "headers", "writes"}, "ending"?}
// `path` is the path and query as the client sent them (the recorder passes them through unchanged),
// `auth` which credentials came ("none", "key" or "wrong"), never a key. `writes` are the body's
// network reads with the delay before each (lib/fixture-format.ts). `ending: "reset"` marks an answer
// whose connection broke. Replay answers the n-th request with a key with the n-th recorded answer for
// that key (the last one again after that); a request the cassette does not hold gets a 501 envelope.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { fixtureBytes, type FixtureWrite } from '../lib/fixture-format.ts';
import { SECRET_HEADERS, redactJson, redactText, registerSecret } from '../lib/redact.ts';
import { keptHeaders } from './capture.ts';
import { writesFromReads } from './recorded-fixture.ts';
import { errorBody } from './respond.ts';
import { writeResponse } from './node-io.ts';
import type { ResponsePlan } from './types.ts';

export type AuthKind = 'none' | 'key' | 'wrong';

export interface CassetteRequest {
  method: string;
  path: string;
  auth: AuthKind;
  body?: unknown;
  rawBody?: string;
}

export interface CassetteEntry {
  request: CassetteRequest;
  response: { status: number; headers: Record<string, string>; writes: FixtureWrite[] };
  ending?: 'reset';
}

/** The suite's deliberately wrong key (suites/runner/client.ts): recorded as "wrong", not as a key. */
export const WRONG_KEY = 'sk-oai-compat-wrong-key-000000000000';

/** JSON with object keys sorted, so that equal requests have equal keys whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

export function cassetteKey(r: CassetteRequest): string {
  return canonical([r.method, r.path, r.auth, r.body ?? null, r.rawBody ?? null]);
}

function authKind(headers: http.IncomingHttpHeaders): AuthKind {
  const given = headers['api-key'] ?? headers.authorization;
  if (given === undefined || given === '') return 'none';
  const key = String(given).replace(/^Bearer\s+/i, '');
  return key === WRONG_KEY ? 'wrong' : 'key';
}

/** The request as a cassette holds it: the body parsed when it is JSON (redacted), else its text. */
export function cassetteRequest(req: http.IncomingMessage, body: Buffer): CassetteRequest {
  const out: CassetteRequest = { method: req.method ?? 'GET', path: req.url ?? '/', auth: authKind(req.headers) };
  if (body.length === 0) return out;
  const text = body.toString('utf8');
  try {
    out.body = redactJson(JSON.parse(text));
  } catch {
    out.rawBody = redactText(text);
  }
  return out;
}

export function readCassette(file: string): CassetteEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as CassetteEntry;
      } catch (error) {
        throw new Error(`${file}:${i + 1}: not a cassette entry (${(error as Error).message})`);
      }
    });
}

/** Write atomically (a temp file, then rename), refusing a text that still holds a secret. */
export function writeCassette(file: string, entries: CassetteEntry[]): void {
  const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
  if (redactText(text) !== text) throw new Error(`refusing to write ${file}: it still contains a secret`);
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server, port: number, host: string): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// recording

const PASS_HEADERS_NOT = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding', 'upgrade', 'te']);

export interface CassetteRecorderOptions {
  /** the endpoint's origin (and base path, if any): requests go to target + the path as received */
  target: string;
  /** the cassette file to write (rewritten after every exchange) */
  file: string;
  port?: number;
  host?: string;
}

export interface CassetteRecorder extends Listening {
  entries: CassetteEntry[];
}

/**
 * A pass-through proxy that records every exchange, whatever its method and path. Credentials pass
 * through untouched (so that key handling is recorded as it is), and are never written.
 */
export async function startCassetteRecorder(options: CassetteRecorderOptions): Promise<CassetteRecorder> {
  const entries: CassetteEntry[] = [];
  const target = new URL(options.target);
  const base = target.pathname.replace(/\/+$/, '');
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined || PASS_HEADERS_NOT.has(k)) continue;
        const value = Array.isArray(v) ? v.join(', ') : v;
        if (SECRET_HEADERS.has(k)) registerSecret(value.replace(/^Bearer\s+/i, ''));
        headers[k] = value;
      }
      headers['accept-encoding'] = 'identity';
      const url = new URL(`${base}${req.url ?? '/'}`, target.origin);
      const request = cassetteRequest(req, body);
      const started = performance.now();
      const reads: { delay: number; bytes: Uint8Array }[] = [];
      let ending: CassetteEntry['ending'];
      let status = 502;
      let kept: Record<string, string> = {};
      try {
        const upstream = await fetch(url, { method: req.method, headers, body: body.length > 0 ? new Uint8Array(body) : undefined, redirect: 'manual' });
        status = upstream.status;
        kept = keptHeaders(upstream.headers);
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, key) => {
          if (!PASS_HEADERS_NOT.has(key) && key !== 'content-encoding') out[key] = value;
        });
        res.writeHead(status, out);
        res.flushHeaders();
        let last = started;
        if (upstream.body) {
          for await (const bytes of upstream.body as unknown as AsyncIterable<Uint8Array>) {
            const now = performance.now();
            reads.push({ delay: Math.round(now - last), bytes });
            last = now;
            res.write(bytes);
          }
        }
        res.end();
      } catch {
        ending = 'reset';
        if (!res.headersSent) status = 0;
        res.destroy();
      }
      if (status === 0) return; // no answer at all: nothing to replay
      entries.push({ request, response: { status, headers: kept, writes: writesFromReads(reads) }, ...(ending ? { ending } : {}) });
      writeCassette(options.file, entries);
    })().catch(() => res.destroy());
  });
  const listening = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return { ...listening, entries };
}

// ---------------------------------------------------------------------------------------------
// replay

export interface CassetteServerOptions {
  file: string;
  /** scale of the recorded delays (1: as recorded, 0: none) */
  speed?: number;
  /** no delay longer than this (after scaling): a replay keeps streams incremental but takes seconds */
  maxDelayMs?: number;
  port?: number;
  host?: string;
}

export interface CassetteServer extends Listening {
  /** requests the cassette did not hold, as "METHOD path" */
  misses: string[];
}

export async function startCassetteServer(options: CassetteServerOptions): Promise<CassetteServer> {
  const byKey = new Map<string, CassetteEntry[]>();
  for (const entry of readCassette(options.file)) {
    const key = cassetteKey(entry.request);
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const served = new Map<string, number>();
  const misses: string[] = [];
  const speed = options.speed ?? 1;
  const cap = options.maxDelayMs ?? Number.POSITIVE_INFINITY;
  const server = http.createServer((req, res) => {
    void readBody(req).then((body) => {
      const request = cassetteRequest(req, body);
      const key = cassetteKey(request);
      const list = byKey.get(key);
      if (!list) {
        misses.push(`${request.method} ${request.path}`);
        const text = JSON.stringify(errorBody(`oai-compat cassette: no recorded exchange for ${request.method} ${request.path} with this body and these credentials`, 'cassette_miss'));
        res.writeHead(501, { 'content-type': 'application/json' });
        res.end(text);
        return;
      }
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      const entry = list[Math.min(n, list.length - 1)];
      const plan: ResponsePlan = {
        status: entry.response.status,
        headers: entry.response.headers,
        writes: entry.response.writes.map((w) => ({ delayMs: Math.min(Math.round(w.delay * speed), cap), bytes: fixtureBytes(w) })),
        ending: entry.ending === 'reset' ? 'destroy' : 'end',
        scenario: 'cassette',
        faults: [],
        recorded: true,
      };
      writeResponse(plan, res);
    });
  });
  const listening = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return { ...listening, misses };
}
