// The recorder's proxy mode: listens locally, forwards every request to the target, streams the
// answer through to the client as it arrives, and writes one fixture per chat completion
// (NAME-001, NAME-002, ... beside each other). A client that leaves before the end stops the upstream
// request, and nothing is written for it.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { redactText, registerSecret } from '../lib/redact.ts';
import { authHeaders, captureBody, keptHeaders, type RecordTarget } from './capture.ts';
import { buildFixture, outPath, writeFixtureAtomic } from './recorded-fixture.ts';

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
  const sockets = new Set<Socket>();
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
