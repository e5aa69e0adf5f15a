// The servers the mock benchmark loads, each in a child process of its own (so that the load generator
// and the server do not share a thread):
//   standalone  the mock writing the engine's plans directly (speed 0)
//   via-msw     the mock answering through its msw handlers (getResponse)
//   bare        node:http writing the same bytes as the mock, one write per SSE event (the baseline)
//   bare-1w     node:http writing the same bytes in one buffer (the ceiling)
//   msw-plain   a minimal node:http → msw getResponse adapter, one handler returning the same bytes
//   aimock      @copilotkit/aimock answering every message with a fixed text
// Run as a child: node --import tsx bench/mock-servers.ts KIND ANSWERS.json; prints "PORT n". With an IPC
// channel it answers "memory" with process.memoryUsage() after a full GC (run it with --expose-gc), "cpu"
// with its CPU time (user + system, µs: unlike wall time, not inflated by other processes), and
// "profile-start" / "profile-stop" with a V8 CPU profile of the time between (node:inspector).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CapturedAnswer } from './mock-paths.ts';

export type ServerKind = 'standalone' | 'via-msw' | 'bare' | 'bare-1w' | 'msw-plain' | 'aimock';

const HERE = fileURLToPath(import.meta.url);

function readAnswers(file: string): Map<string, CapturedAnswer> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { status: number; headers: Record<string, string>; writes: string[] }>;
  return new Map(Object.entries(raw).map(([id, a]) => [id, { ...a, writes: a.writes.map((w) => Buffer.from(w, 'base64')) }]));
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

async function serve(kind: ServerKind, answersFile: string, aimockEntry: string): Promise<number> {
  const answers = readAnswers(answersFile);
  const answerFor = (path: string | undefined) => answers.get(String(path)) ?? answers.values().next().value!;
  if (kind === 'standalone' || kind === 'via-msw') {
    const { startMockServer } = await import('../mock-server/standalone.ts');
    return (await startMockServer({ speed: 0, quiet: true, viaMsw: kind === 'via-msw', port: 0 })).port;
  }
  if (kind === 'bare' || kind === 'bare-1w') {
    const whole = new Map([...answers].map(([id, a]) => [id, Buffer.concat(a.writes)]));
    return listen(
      createServer((req: IncomingMessage, res: ServerResponse) => {
        req.resume();
        req.on('end', () => {
          const id = String(req.headers['x-bench-path']);
          const a = answerFor(id);
          res.writeHead(a.status, a.headers);
          if (kind === 'bare-1w' || a.writes.length === 1) return void res.end(whole.get(id) ?? a.writes[0]);
          for (const w of a.writes) res.write(w);
          res.end();
        });
      }),
    );
  }
  if (kind === 'msw-plain') {
    const { http, getResponse } = await import('msw');
    const handlers = [
      http.post('*/v1/chat/completions', ({ request }) => {
        const a = answerFor(request.headers.get('x-bench-path') ?? undefined);
        if (a.writes.length === 1) return new Response(a.writes[0] as unknown as BodyInit, { status: a.status, headers: a.headers });
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const w of a.writes) controller.enqueue(w);
            controller.close();
          },
        });
        return new Response(body, { status: a.status, headers: a.headers });
      }),
    ];
    return listen(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
          const response = await getResponse(handlers, request);
          if (!response) return void res.writeHead(404).end();
          const headers: Record<string, string> = {};
          response.headers.forEach((v, k) => (headers[k] = v));
          res.writeHead(response.status, headers);
          if (!response.body) return void res.end();
          const reader = response.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            res.write(value);
          }
          res.end();
        });
      }),
    );
  }
  const { LLMock } = await import(pathToFileURL(aimockEntry).href);
  const mock = new LLMock({ port: 0, host: '127.0.0.1', latency: 0, logLevel: 'silent' });
  mock.onMessage(/.*/, { content: 'Hello! How can I help you today?' });
  await mock.start();
  return Number(new URL(mock.url).port);
}

export interface RunningChild {
  child: ChildProcess;
  url: string;
  /** the server's memory after a full GC (children started with memory: true) */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** the server process's CPU time so far (user + system, microseconds) */
  cpu(): Promise<number>;
  /** start a CPU profile; the returned function stops it and writes it to `file` */
  profile(file: string): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

export function startServer(kind: ServerKind, answersFile: string, options: { aimockEntry?: string; nodeArgs?: string[]; memory?: boolean } = {}): Promise<RunningChild> {
  return new Promise((resolve, reject) => {
    const args = [...(options.nodeArgs ?? []), ...(options.memory ? ['--expose-gc'] : []), '--import', 'tsx', HERE, kind, answersFile, options.aimockEntry ?? ''];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], cwd: path.resolve(path.dirname(HERE), '..') });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${kind}: no port within 60 s`)), 60_000);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdout!.on('data', (d) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        url: `http://127.0.0.1:${m[1]}`,
        memory: () => ask(child, 'memory') as Promise<NodeJS.MemoryUsage>,
        cpu: () => ask(child, 'cpu') as Promise<number>,
        profile: async (file) => {
          await ask(child, 'profile-start');
          return async () => void (await ask(child, `profile-stop ${file}`));
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind}: exited with ${code}`));
    });
  });
}

/** Send a request over the IPC channel and wait for the answer. */
function ask(child: ChildProcess, message: string): Promise<unknown> {
  return new Promise((done) => {
    child.once('message', done);
    child.send(message);
  });
}

/** The child's side of the IPC requests. */
async function answer(message: string, profiler: { session?: Session }): Promise<unknown> {
  if (message === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage();
  }
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
  if (message === 'profile-start') {
    profiler.session = new Session();
    profiler.session.connect();
    await profiler.session.post('Profiler.enable');
    await profiler.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.session.post('Profiler.start');
    return 'started';
  }
  if (message.startsWith('profile-stop ')) {
    const { profile } = await profiler.session!.post('Profiler.stop');
    profiler.session!.disconnect();
    writeFileSync(message.slice('profile-stop '.length), JSON.stringify(profile));
    return 'written';
  }
  return 'unknown request';
}

if (process.argv[1] === HERE) {
  const [kind, answersFile, aimockEntry] = process.argv.slice(2);
  process.on('SIGTERM', () => process.exit(0));
  // the parent is gone (killed, or its output pipe closed): nothing is left serving
  process.on('disconnect', () => process.exit(0));
  const profiler: { session?: Session } = {};
  process.on('message', (m) => void answer(String(m), profiler).then((reply) => process.send!(reply)));
  process.channel?.unref();
  serve(kind as ServerKind, answersFile, aimockEntry).then(
    (port) => process.stdout.write(`PORT ${port}\n`),
    (error) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    },
  );
}
