// The recorder: captures real answers of an OpenAI-compatible endpoint as fixtures.
// - replay mode (recordOnce): sends one request body to TARGET/chat/completions and records the answer;
// - proxy mode (startRecordingProxy): listens locally, forwards every request to the target, streams the
//   answer through to the client as it arrives, and writes one fixture per chat completion.
// What is recorded: the status, a few interesting headers (redacted), and for streams every network
// read's exact bytes with the delay before it (a read that ends inside a UTF-8 character becomes a
// base64 write). `expect` is assembled with lib/assemble.ts. Secrets never reach the file: credential
// headers are never written, every string passes through lib/redact.ts, and the file is checked once
// more before it is written. Files are written atomically (temp file + rename in the same directory).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { assembleCompletion, assembleStream } from '../lib/assemble.ts';
import type { Fixture, FixtureExpect, FixtureWrite } from '../lib/fixture-format.ts';
import { fixtureBytes, validateFixture } from '../lib/fixtures.ts';
import { SECRET_HEADERS, redactJson, redactText, redactUrl, registerSecret } from '../lib/redact.ts';
import { parseSseText } from '../lib/sse.ts';

export type RecordAuth = 'bearer' | 'azure' | 'none';

/** Response headers worth keeping in a fixture; everything else (cookies, org ids, CDN noise) is dropped. */
const KEEP_HEADERS = [
  /^content-type$/,
  /^retry-after(-ms)?$/,
  /^x-ratelimit-/,
  /^x-request-id$/,
  /^request-id$/,
  /^apim-request-id$/,
  /^openai-processing-ms$/,
  /^openai-version$/,
  /^x-ms-region$/,
  /^cache-control$/,
  /^server$/,
];

export function keptHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (SECRET_HEADERS.has(name)) continue;
    if (!KEEP_HEADERS.some((re) => re.test(name))) continue;
    out[name] = redactText(String(value));
  }
  return out;
}

/** One captured answer: status, kept headers, and the body as timed reads. */
export interface Capture {
  status: number;
  headers: Record<string, string>;
  /** every network read with its delay (ms since the previous read, the first since the request started) */
  reads: { delay: number; bytes: Uint8Array }[];
}

export interface RecordTarget {
  /** base URL of the API, e.g. https://api.openai.com/v1 (chat/completions is appended) */
  target: string;
  /** the API key (env API_KEY); never written anywhere */
  apiKey?: string;
  /** bearer (Authorization: Bearer KEY, the default), azure (api-key: KEY) or none */
  auth?: RecordAuth;
  /** extra request headers (e.g. x-mock-scenario); never written */
  headers?: Record<string, string>;
}

export interface RecordOnceOptions extends RecordTarget {
  /** the request body */
  request: Record<string, unknown>;
  /** where to write: a .yaml path, or a path without extension (".yaml" is added); the id is its base name */
  out: string;
  title?: string;
  /** appended to source.notes (e.g. what the target is) */
  notes?: string;
  signal?: AbortSignal;
  /** clock, for tests */
  now?: () => Date;
}

export interface RecordResult {
  file: string;
  fixture: Fixture;
}

function chatUrl(target: string): string {
  const u = new URL(target);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/chat/completions`;
  return u.toString();
}

function authHeaders(t: RecordTarget): Record<string, string> {
  const key = t.apiKey;
  if (!key || t.auth === 'none') return {};
  registerSecret(key);
  return t.auth === 'azure' ? { 'api-key': key } : { authorization: `Bearer ${key}` };
}

/** Read a fetch body to its end, timing every read. Throws if the signal fires or the connection breaks. */
async function captureBody(body: ReadableStream<Uint8Array> | null, startedAt: number, onRead?: (bytes: Uint8Array) => void) {
  const reads: Capture['reads'] = [];
  if (!body) return reads;
  const reader = body.getReader();
  let last = startedAt;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      reads.push({ delay: Math.max(0, Math.round(now - last)), bytes: value });
      last = now;
      onRead?.(value);
    }
  } finally {
    reader.releaseLock();
  }
  return reads;
}

/** Replay mode: send the request, capture the answer, write the fixture. */
export async function recordOnce(options: RecordOnceOptions): Promise<RecordResult> {
  const { file, id } = outPath(options.out); // a bad name fails before anything is sent
  const url = chatUrl(options.target);
  const startedAt = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers, ...authHeaders(options) },
    body: JSON.stringify(options.request),
    signal: options.signal,
  });
  const reads = await captureBody(response.body, startedAt);
  options.signal?.throwIfAborted();
  const capture: Capture = { status: response.status, headers: keptHeaders(response.headers), reads };
  const fixture = buildFixture({
    id,
    title: options.title,
    target: options.target,
    request: options.request,
    capture,
    at: (options.now ?? (() => new Date()))(),
    mode: 'replay',
    notes: options.notes,
  });
  writeFixtureAtomic(file, fixture);
  return { file, fixture };
}

/** `fixtures/recorded/name` or `.../name.yaml` → the file and the id. */
export function outPath(out: string): { file: string; id: string } {
  const file = out.endsWith('.yaml') ? out : `${out}.yaml`;
  const id = path.basename(file, '.yaml');
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw new Error(`the fixture name "${id}" must be kebab-case (it becomes the fixture id)`);
  return { file: path.resolve(file), id };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isStream(capture: Capture): boolean {
  return /^text\/event-stream\b/i.test(capture.headers['content-type'] ?? '');
}


/** Writes from reads: text when a read is valid UTF-8 on its own, base64 otherwise; every text redacted. */
export function writesFromReads(reads: Capture['reads']): FixtureWrite[] {
  const writes: FixtureWrite[] = reads.map(({ delay, bytes }) => {
    try {
      return { delay, data: redactText(UTF8.decode(bytes)) };
    } catch {
      return { delay, base64: Buffer.from(bytes).toString('base64') };
    }
  });
  // A secret could straddle two reads (or sit in a base64 read): check the whole body once more.
  // If redaction changes it, keep the redacted text, re-cut at event boundaries (the exact read
  // boundaries are lost, the secret is not written).
  let whole: string;
  try {
    whole = UTF8.decode(Buffer.concat(reads.map((r) => r.bytes)));
  } catch {
    return writes;
  }
  const clean = redactText(whole);
  const joined = (() => {
    try {
      return UTF8.decode(Buffer.concat(writes.map(fixtureBytes)));
    } catch {
      return undefined;
    }
  })();
  if (clean === whole || joined === clean) return writes;
  const blocks = clean.split(/(?<=\r\n\r\n|\n\n|\r\r)/).filter((b) => b.length > 0);
  return blocks.map((data, i) => ({ delay: reads[Math.min(i, reads.length - 1)]?.delay ?? 0, data }));
}

export interface BuildInput {
  id: string;
  title?: string;
  target: string;
  request: Record<string, unknown>;
  capture: Capture;
  at: Date;
  mode: 'replay' | 'proxy';
  notes?: string;
}

/** The fixture for a capture: redacted request, kept headers, writes or body, assembled expect. */
export function buildFixture(input: BuildInput): Fixture {
  const { capture } = input;
  const host = hostOf(input.target);
  const request = redactJson(input.request);
  const headers = { ...capture.headers };
  let response: Fixture['response'];
  let expect: FixtureExpect | undefined;
  const stream = isStream(capture);
  if (stream) {
    const writes = writesFromReads(capture.reads);
    response = { status: capture.status, headers, writes };
    try {
      const text = UTF8.decode(Buffer.concat(writes.map(fixtureBytes)));
      expect = assembleStream(parseSseText(text).events, { status: capture.status });
    } catch {
      expect = capture.status >= 400 ? { error: { status: capture.status, type: '' } } : undefined;
    }
  } else {
    if (!headers['content-type']) headers['content-type'] = 'application/octet-stream';
    const bytes = Buffer.concat(capture.reads.map((r) => r.bytes));
    let text: string | undefined;
    try {
      text = UTF8.decode(bytes);
    } catch {
      text = undefined;
    }
    let json: unknown;
    let parsed = false;
    if (text !== undefined) {
      try {
        json = JSON.parse(text);
        parsed = true;
      } catch {
        parsed = false;
      }
    }
    if (parsed) {
      const body = redactJson(json);
      response = { status: capture.status, headers, body };
      try {
        expect = assembleCompletion(body, { status: capture.status });
      } catch {
        expect = undefined;
      }
    } else {
      response = { status: capture.status, headers, raw: redactText(text ?? Buffer.from(bytes).toString('latin1')) };
    }
    if (!expect && capture.status >= 400) expect = { error: { status: capture.status, type: '' } };
  }
  const model = typeof request.model === 'string' ? request.model : 'a model';
  const fixture: Fixture = {
    id: input.id,
    title: input.title ?? `Recorded from ${host}: ${model}, ${stream ? 'stream' : 'non-stream'}, HTTP ${capture.status}`,
    source: {
      kind: 'recorded',
      from: host,
      at: input.at.toISOString(),
      notes: `recorded by mock-server/recorder.ts (${input.mode} mode) from POST ${redactUrl(chatUrl(input.target))}${input.notes ? `. ${redactText(input.notes)}` : ''}`,
    },
    request,
    response,
  };
  if (expect) fixture.expect = expect;
  return fixture;
}

function hostOf(target: string): string {
  try {
    return new URL(redactUrl(target)).host;
  } catch {
    return redactText(target);
  }
}

/** The YAML text of a fixture (long lines kept, block scalars for multi-line writes). */
export function fixtureToYaml(fixture: Fixture): string {
  return stringify(fixture, { lineWidth: 0 });
}

/**
 * Validate, check for secrets, and write atomically: a temp file in the same directory, then rename.
 * An interruption before the rename leaves no fixture (and the loader ignores dot-files).
 */
export function writeFixtureAtomic(file: string, fixture: Fixture): void {
  const text = fixtureToYaml(fixture);
  validateFixture(JSON.parse(JSON.stringify(fixture)), file, path.basename(file, '.yaml'));
  if (redactText(text) !== text) throw new Error(`refusing to write ${file}: it still contains a secret`);
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// proxy mode

export interface ProxyOptions extends RecordTarget {
  /** local port (0: any free port) */
  port?: number;
  host?: string;
  /** fixtures/recorded/NAME: each request becomes NAME-001, NAME-002, ... in that directory */
  out: string;
  now?: () => Date;
  /** called after each fixture is written (or when a recording is dropped) */
  onRecord?: (event: { file?: string; id: string; dropped?: string }) => void;
}

export interface RecordingProxy {
  url: string;
  port: number;
  /** the files written so far */
  files: string[];
  close(): Promise<void>;
}

const HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
  'accept-encoding',
  'content-encoding',
]);

export async function startRecordingProxy(options: ProxyOptions): Promise<RecordingProxy> {
  const base = path.resolve(options.out);
  const dir = path.dirname(base);
  const name = path.basename(base, '.yaml');
  outPath(name); // checks the name is kebab-case
  let counter = 0;
  const files: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const inflight = new Set<AbortController>();

  const nextId = (): string => {
    for (;;) {
      counter++;
      const id = `${name}-${String(counter).padStart(3, '0')}`;
      if (!existsSync(path.join(dir, `${id}.yaml`))) return id;
    }
  };

  const server = http.createServer((req, res) => {
    const controller = new AbortController();
    inflight.add(controller);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks), controller)
        .catch((error: unknown) => {
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { message: `recording proxy: ${redactText(String((error as Error)?.message ?? error))}`, type: 'proxy_error', param: null, code: null } }));
          } else res.destroy();
        })
        .finally(() => inflight.delete(controller));
    });
    // the client went away before the answer was complete: stop upstream, write nothing
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, controller: AbortController) {
    const incoming = new URL(req.url ?? '/', 'http://proxy.local');
    const suffix = incoming.pathname.replace(/^\/v1(?=\/)/, '');
    const targetUrl = new URL(options.target);
    targetUrl.pathname = `${targetUrl.pathname.replace(/\/+$/, '')}${suffix}`;
    for (const [k, v] of incoming.searchParams) if (!targetUrl.searchParams.has(k)) targetUrl.searchParams.set(k, v);

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP.has(k)) continue;
      const value = Array.isArray(v) ? v.join(', ') : v;
      if (k === 'authorization') registerSecret(value.replace(/^Bearer\s+/i, ''));
      if (k === 'api-key' || k === 'x-api-key') registerSecret(value);
      headers[k] = value;
    }
    Object.assign(headers, options.headers, authHeaders(options));
    headers['accept-encoding'] = 'identity';

    const isChat = req.method === 'POST' && /\/chat\/completions$/.test(suffix);
    const startedAt = performance.now();
    const upstream = await fetch(targetUrl, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
      signal: controller.signal,
    });
    const outHeaders: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (!HOP.has(key)) outHeaders[key] = value;
    });
    res.writeHead(upstream.status, outHeaders);
    res.flushHeaders();
    const reads = await captureBody(upstream.body, startedAt, (bytes) => res.write(bytes));
    res.end();
    if (!isChat) return;
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      options.onRecord?.({ id: '', dropped: 'the request body is not JSON' });
      return;
    }
    const id = nextId();
    const file = path.join(dir, `${id}.yaml`);
    const fixture = buildFixture({
      id,
      target: options.target,
      request,
      capture: { status: upstream.status, headers: keptHeaders(upstream.headers), reads },
      at: (options.now ?? (() => new Date()))(),
      mode: 'proxy',
    });
    writeFixtureAtomic(file, fixture);
    files.push(file);
    options.onRecord?.({ file, id });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    files,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of inflight) c.abort();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
