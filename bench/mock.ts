// npm run bench:mock — throughput of the mock server against baselines measured in the same run.
//
// Targets (each in its own child process, so the load generator and the server do not share a thread):
//   standalone   the standalone server writing plans directly (speed 0)
//   via-msw      the standalone server routing through the msw handlers (getResponse)
//   bare         a bare node:http server writing the same bytes (the ceiling)
//   msw-plain    a minimal node:http → msw getResponse adapter with one handler returning the same bytes
//   aimock       @copilotkit/aimock, installed into a temp dir for this run (skipped if that fails)
// Load: autocannon, BENCH_CONNECTIONS (50) connections, BENCH_DURATION (5) seconds per run, BENCH_ROUNDS (3)
// rounds over the targets keeping each one's best run (the machine may be shared), for a
// non-stream and a streamed fixture (BENCH_TARGETS=bare,standalone picks targets). Then 200 concurrent
// streaming clients (BENCH_STREAMS) against the standalone server.
// Targets: standalone >= 0.7 × bare and >= 3 × aimock; via-msw no slower than msw-plain.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type { Fixture } from '../lib/fixture-format.ts';
import { loadFixtures } from '../lib/fixtures.ts';
import { readSse } from '../lib/sse.ts';
import { buildTemplate } from '../mock-server/replay.ts';
import { concatBytes } from '../mock-server/respond.ts';

const HERE = fileURLToPath(import.meta.url);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CONCURRENT_STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const AIMOCK_DIR = process.env.BENCH_AIMOCK_DIR ?? path.join(tmpdir(), 'oai-compat-bench-aimock');

type Kind = 'standalone' | 'via-msw' | 'bare' | 'msw-plain' | 'aimock';
const KINDS: Kind[] = ((process.env.BENCH_TARGETS?.split(',') as Kind[] | undefined) ?? ['bare', 'standalone', 'via-msw', 'msw-plain', 'aimock']);

function pickFixtures(): { plain: Fixture; stream: Fixture } {
  const all = loadFixtures();
  const ok = all.filter((f) => f.response.status === 200);
  const plain = ok.find((f) => f.id === 'text-basic') ?? ok.find((f) => !f.response.writes && f.response.body !== undefined && typeof f.expect?.content === 'string');
  const stream = ok.find((f) => f.id === 'stream-text') ?? ok.find((f) => Array.isArray(f.response.writes) && typeof f.expect?.content === 'string');
  if (!plain || !stream) throw new Error('bench: needs a non-stream and a stream fixture with expect.content in fixtures/');
  return { plain, stream };
}

// ---------------------------------------------------------------------------------------------
// child: one server

async function serve(kind: Kind): Promise<void> {
  const { plain, stream } = pickFixtures();
  const templates = new Map([plain, stream].map((f) => [f.id, buildTemplate(f, 0)]));
  // the bare server writes each answer's bytes in one piece: the ceiling
  const bodies = new Map([...templates.values()].map((t) => [t, t.body ?? concatBytes(t.writes.map((w) => w.bytes))]));
  const byScenario = (req: IncomingMessage) => templates.get(String(req.headers['x-mock-scenario'])) ?? templates.get(plain.id)!;
  let port: number;
  if (kind === 'standalone' || kind === 'via-msw') {
    const { startMockServer } = await import('../mock-server/standalone.ts');
    const s = await startMockServer({ speed: 0, quiet: true, viaMsw: kind === 'via-msw', port: 0 });
    port = s.port;
  } else if (kind === 'bare') {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const t = byScenario(req);
        res.writeHead(t.status, t.headers);
        res.end(bodies.get(t)!);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  } else if (kind === 'msw-plain') {
    const { http, getResponse } = await import('msw');
    const handlers = [
      http.post('*/v1/chat/completions', ({ request }) => {
        const t = templates.get(String(request.headers.get('x-mock-scenario'))) ?? templates.get(plain.id)!;
        if (!t.stream) return new Response(t.body as BodyInit, { status: t.status, headers: t.headers });
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const w of t.writes) if (w.bytes.byteLength > 0) controller.enqueue(w.bytes);
            controller.close();
          },
        });
        return new Response(body, { status: t.status, headers: t.headers });
      }),
    ];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const request = new Request(`http://${req.headers.host}${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
        });
        const response = await getResponse(handlers, request);
        if (!response) {
          res.statusCode = 404;
          return res.end();
        }
        const headers: Record<string, string> = {};
        response.headers.forEach((v, k) => (headers[k] = v));
        res.writeHead(response.status, headers);
        if (!response.body) return res.end();
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  } else {
    const entry = path.join(AIMOCK_DIR, 'node_modules', '@copilotkit', 'aimock', 'dist', 'index.js');
    const { LLMock } = await import(pathToFileURL(entry).href);
    const mock = new LLMock({ port: 0, host: '127.0.0.1', latency: 0, logLevel: 'silent' });
    mock.onMessage(/.*/, { content: String(stream.expect?.content ?? plain.expect?.content ?? 'Hello!') });
    await mock.start();
    port = Number(new URL(mock.url).port);
  }
  process.stdout.write(`PORT ${port}\n`);
}

// ---------------------------------------------------------------------------------------------
// parent: load

function startChild(kind: Kind): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HERE, '--serve', kind], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_AIMOCK_DIR: AIMOCK_DIR } });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${kind}: no port within 30 s`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind}: exited with ${code}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Load {
  rps: number;
  errors: number;
  non2xx: number;
  latencyP99: number;
}

async function load(url: string, fixture: Fixture, kind: Kind): Promise<Load> {
  const body = JSON.stringify(kind === 'aimock' ? { ...fixture.request, model: 'gpt-4o-mini' } : fixture.request);
  const result = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'content-type': 'application/json', 'x-mock-scenario': fixture.id },
    body,
  });
  return { rps: result.requests.average, errors: result.errors + result.timeouts, non2xx: result.non2xx, latencyP99: result.latency.p99 };
}

async function concurrentStreams(url: string, n: number): Promise<{ ok: number; errors: string[]; ms: number }> {
  const t0 = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: n }, async (_, i) => {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: `client ${i}` }], stream: true }),
      });
      const sse = await readSse(res.body, { idleTimeoutMs: 15_000 });
      if (res.status !== 200 || sse.end !== 'eof' || sse.events[sse.events.length - 1]?.data !== '[DONE]') throw new Error(`${res.status} ${sse.end}`);
    }),
  );
  const errors = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
  return { ok: n - errors.length, errors, ms: performance.now() - t0 };
}

function installAimock(): boolean {
  const entry = path.join(AIMOCK_DIR, 'node_modules', '@copilotkit', 'aimock', 'dist', 'index.js');
  if (existsSync(entry)) return true;
  try {
    mkdirSync(AIMOCK_DIR, { recursive: true });
    process.stdout.write(`installing @copilotkit/aimock into ${AIMOCK_DIR} ...\n`);
    execFileSync('npm', ['install', '--prefix', AIMOCK_DIR, '--no-audit', '--no-fund', '--loglevel=error', '@copilotkit/aimock'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
    return existsSync(entry);
  } catch (error) {
    process.stdout.write(`aimock: install failed, skipped (${(error as Error).message.split('\n')[0]})\n`);
    return false;
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0).padStart(8) : '       -');
const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '-');

async function main(): Promise<void> {
  const { plain, stream } = pickFixtures();
  process.stdout.write(`oai-compat mock bench: ${CONNECTIONS} connections, ${DURATION} s per run, fixtures ${plain.id} (non-stream) and ${stream.id} (stream), speed 0\n`);
  const kinds = KINDS.filter((k) => k !== 'aimock' || installAimock());
  // every target in its own process, all started up front; then ROUNDS rounds over the targets,
  // keeping each target's best run (the machine may be shared: the best run is the least disturbed)
  const children = new Map<Kind, { child: ChildProcess; url: string }>();
  for (const kind of kinds) {
    try {
      children.set(kind, await startChild(kind));
    } catch (error) {
      process.stdout.write(`  ${kind.padEnd(11)} skipped: ${(error as Error).message}\n`);
    }
  }
  const results = new Map<Kind, { plain: Load; stream: Load }>();
  const best = (a: Load | undefined, b: Load) => (!a || b.rps > a.rps ? b : a);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [kind, { url }] of children) {
        const p = await load(url, plain, kind);
        const s = await load(url, stream, kind);
        const prev = results.get(kind);
        results.set(kind, { plain: best(prev?.plain, p), stream: best(prev?.stream, s) });
        process.stdout.write(`  round ${round} ${kind.padEnd(11)} non-stream ${fmt(p.rps)} req/s (p99 ${p.latencyP99} ms, errors ${p.errors}, non-2xx ${p.non2xx})   stream ${fmt(s.rps)} req/s (p99 ${s.latencyP99} ms, errors ${s.errors}, non-2xx ${s.non2xx})\n`);
      }
    }
  } finally {
    for (const { child } of children.values()) await stopChild(child);
  }
  const bare = results.get('bare');
  const aimock = results.get('aimock');
  process.stdout.write(`\n  best of ${ROUNDS} round(s)\n  target       non-stream     vs bare  vs aimock     stream     vs bare  vs aimock\n`);
  for (const [kind, r] of results) {
    process.stdout.write(
      `  ${kind.padEnd(11)} ${fmt(r.plain.rps)} ${ratio(r.plain.rps, bare?.plain.rps).padStart(10)} ${ratio(r.plain.rps, aimock?.plain.rps).padStart(10)}   ${fmt(r.stream.rps)} ${ratio(r.stream.rps, bare?.stream.rps).padStart(10)} ${ratio(r.stream.rps, aimock?.stream.rps).padStart(10)}\n`,
    );
  }
  const standalone = results.get('standalone');
  const viaMsw = results.get('via-msw');
  const mswPlain = results.get('msw-plain');
  const verdicts: string[] = [];
  const check = (label: string, ok: boolean | undefined) => verdicts.push(`  ${ok === undefined ? 'n/a ' : ok ? 'MET ' : 'MISS'}  ${label}`);
  for (const mode of ['plain', 'stream'] as const) {
    const name = mode === 'plain' ? 'non-stream' : 'stream';
    check(`standalone >= 0.7 × bare (${name})`, standalone && bare ? standalone[mode].rps >= 0.7 * bare[mode].rps : undefined);
    check(`standalone >= 3 × aimock (${name})`, standalone && aimock ? standalone[mode].rps >= 3 * aimock[mode].rps : undefined);
    check(`via-msw no slower than msw-plain (${name}, within 10%)`, viaMsw && mswPlain ? viaMsw[mode].rps >= 0.9 * mswPlain[mode].rps : undefined);
  }
  process.stdout.write(`\n${verdicts.join('\n')}\n`);

  const { child, url } = await startChild('standalone');
  try {
    const c = await concurrentStreams(url, CONCURRENT_STREAMS);
    process.stdout.write(`\n  ${CONCURRENT_STREAMS} concurrent streaming clients (synthesized, speed 0): ${c.ok} complete, ${c.errors.length} errors, ${c.ms.toFixed(0)} ms${c.errors.length ? `\n    ${c.errors.slice(0, 5).join('\n    ')}` : ''}\n`);
    if (c.errors.length > 0) process.exitCode = 1;
  } finally {
    await stopChild(child);
  }
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3] as Kind).catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
  process.on('SIGTERM', () => process.exit(0));
} else {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
