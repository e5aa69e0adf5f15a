// npm run bench:mock [-- throughput] [-- profile] [-- streams]   (default: all three)
//
// throughput  req/s of the mock against baselines measured in the same run, rounds interleaved:
//             every server (bench/mock-servers.ts) in a child process of its own, autocannon in this
//             one; for each path (bench/mock-paths.ts: synthesized and fixture answers, JSON and
//             stream, and synthesized ones with a new message on every request) the median of
//             BENCH_ROUNDS (3) runs of BENCH_DURATION (3) s with BENCH_CONNECTIONS (50) connections, and
//             the spread (min-max) as the noise. Targets: the mock >= 0.8 x bare node:http writing the
//             same bytes (one write per SSE event) and >= 4 x @copilotkit/aimock (installed into a temp
//             directory for the run), for JSON and streams; --via-msw no slower than a plain msw
//             getResponse adapter (>= 0.95 x, the noise of a run). BENCH_SERVERS and BENCH_PATHS (comma
//             lists) narrow a run down.
// profile     where the synthesized path's time goes: a CPU profile of the mock under each synthesized
//             load, summed by pipeline stage.
// streams     BENCH_STREAMS (1000) concurrent synthesized streams, a chunk every BENCH_CHUNK_MS (20) ms,
//             10% of the clients leaving mid-stream: errors, [DONE], and the server's memory (after a
//             full GC) before the crowd (after a first, warm-up crowd), at the peak, and BENCH_SETTLE_S
//             (30) s after.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { concurrentStreams } from '../test-support/mock.ts';
import { summarizeProfile } from './cpu-profile.ts';
import { bodyFor, captureAnswers, PATHS, type BenchPath } from './mock-paths.ts';
import { startServer, type RunningChild, type ServerKind } from './mock-servers.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const CHUNK_MS = Number(process.env.BENCH_CHUNK_MS ?? 20);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 30);
const AIMOCK_DIR = process.env.BENCH_AIMOCK_DIR ?? path.join(tmpdir(), 'oai-compat-bench-aimock');
const AIMOCK_ENTRY = path.join(AIMOCK_DIR, 'node_modules', '@copilotkit', 'aimock', 'dist', 'index.js');

/** which paths each server is loaded with (the baselines serve the captured bytes whatever the body) */
const LOADS: Record<ServerKind, string[]> = {
  bare: PATHS.map((p) => p.id),
  'bare-1w': ['synth-stream', 'fixture-stream', 'synth-stream-varied'],
  standalone: PATHS.map((p) => p.id),
  'via-msw': ['synth-json', 'synth-stream', 'fixture-json', 'fixture-stream'],
  'msw-plain': ['synth-json', 'synth-stream', 'fixture-json', 'fixture-stream'],
  aimock: ['synth-json', 'synth-stream', 'fixture-json', 'fixture-stream'],
};

const out = (line = '') => process.stdout.write(`${line}\n`);

function installAimock(): string | undefined {
  if (existsSync(AIMOCK_ENTRY)) return aimockVersion();
  try {
    mkdirSync(AIMOCK_DIR, { recursive: true });
    out(`installing @copilotkit/aimock into ${AIMOCK_DIR} ...`);
    execFileSync('npm', ['install', '--prefix', AIMOCK_DIR, '--no-audit', '--no-fund', '--loglevel=error', '@copilotkit/aimock'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
    return existsSync(AIMOCK_ENTRY) ? aimockVersion() : undefined;
  } catch (error) {
    out(`aimock: install failed, left out (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

function aimockVersion(): string {
  try {
    return String(JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require(process.argv[1]))', path.join(AIMOCK_DIR, 'node_modules', '@copilotkit', 'aimock', 'package.json')]).toString()).version);
  } catch {
    return '?';
  }
}

interface Run {
  rps: number;
  /** the server's CPU time per answer (user + system), microseconds */
  cpuUs: number;
  errors: number;
  non2xx: number;
}

async function load(server: RunningChild, p: BenchPath, seconds = DURATION): Promise<Run> {
  let n = 0;
  const cpuBefore = await server.cpu();
  const result = await autocannon({
    url: `${server.url}/v1/chat/completions`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', 'x-bench-path': p.id, ...p.headers },
    ...(p.varied ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodyFor(p, n++) }) }] } : { body: bodyFor(p, 0) }),
  });
  const cpuUs = ((await server.cpu()) - cpuBefore) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, cpuUs, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number | undefined) => (n === undefined ? '       -' : n.toFixed(0).padStart(8));
const times = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : '-');

async function throughput(answersFile: string): Promise<void> {
  out(`\n== throughput: ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} interleaved rounds, speed 0; median (min-max) req/s`);
  const aimock = installAimock();
  const only = process.env.BENCH_SERVERS?.split(',');
  const kinds = (Object.keys(LOADS) as ServerKind[]).filter((k) => (k !== 'aimock' || aimock) && (!only || only.includes(k)));
  const servers = new Map<ServerKind, RunningChild>();
  for (const kind of kinds) servers.set(kind, await startServer(kind, answersFile, { aimockEntry: AIMOCK_ENTRY }));
  const runs = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const paths = PATHS.filter((p) => !process.env.BENCH_PATHS || process.env.BENCH_PATHS.split(',').includes(p.id));
  try {
    // a warm-up run of each server on each path: JIT, caches and connections, as a long-running mock has them
    for (const p of paths) for (const [kind, server] of servers) if (LOADS[kind].includes(p.id)) await load(server, p, 1);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const p of paths) {
        for (const [kind, server] of servers) {
          if (!LOADS[kind].includes(p.id)) continue;
          const r = await load(server, p);
          if (r.errors || r.non2xx) out(`  round ${round} ${kind} ${p.id}: ${r.errors} errors, ${r.non2xx} non-2xx`);
          const key = `${kind} ${p.id}`;
          runs.set(key, [...(runs.get(key) ?? []), r.rps]);
          cpu.set(key, [...(cpu.get(key) ?? []), r.cpuUs]);
        }
      }
      out(`  round ${round} of ${ROUNDS} done`);
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
  const med = (kind: ServerKind, p: string) => (runs.get(`${kind} ${p}`) ? median(runs.get(`${kind} ${p}`)!) : undefined);
  const spread = (kind: ServerKind, p: string) => {
    const xs = runs.get(`${kind} ${p}`);
    return xs ? `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}` : '';
  };
  out(`\n  ${'path'.padEnd(22)}${kinds.map((k) => k.padStart(12)).join('')}`);
  for (const p of PATHS) out(`  ${p.id.padEnd(22)}${kinds.map((k) => fmt(med(k, p.id)).padStart(12)).join('')}`);
  out(`  noise (min-max of the runs):`);
  for (const p of PATHS) out(`  ${p.id.padEnd(22)}${kinds.map((k) => spread(k, p.id).padStart(12)).join('')}`);
  out(`\n  server CPU per answer, µs (median of the runs; not inflated by waiting for the CPU):`);
  const cpuMed = (kind: ServerKind, p: string) => (cpu.get(`${kind} ${p}`) ? median(cpu.get(`${kind} ${p}`)!) : undefined);
  for (const p of PATHS) out(`  ${p.id.padEnd(22)}${kinds.map((k) => (cpuMed(k, p.id) === undefined ? '-' : cpuMed(k, p.id)!.toFixed(1)).padStart(12)).join('')}`);
  out(`\n  ${'ratio'.padEnd(22)}${'mock/bare'.padStart(12)}${'mock/bare-1w'.padStart(14)}${'mock/aimock'.padStart(13)}${'msw/msw-plain'.padStart(15)}`);
  const outcomes: string[] = [];
  const check = (label: string, value: number | undefined, target: number) => {
    if (value === undefined) return outcomes.push(`  n/a   ${label}`);
    outcomes.push(`  ${value >= target ? 'MET ' : 'MISS'}  ${label}: ${value.toFixed(2)}x (target ${target}x)`);
  };
  for (const p of PATHS) {
    const mock = med('standalone', p.id);
    const vsBare = mock && med('bare', p.id) ? mock / med('bare', p.id)! : undefined;
    const vsAimock = mock && med('aimock', p.id) ? mock / med('aimock', p.id)! : undefined;
    const vsMsw = med('via-msw', p.id) && med('msw-plain', p.id) ? med('via-msw', p.id)! / med('msw-plain', p.id)! : undefined;
    out(
      `  ${p.id.padEnd(22)}${times(mock, med('bare', p.id)).padStart(12)}${times(mock, med('bare-1w', p.id)).padStart(14)}${times(mock, med('aimock', p.id)).padStart(13)}${times(med('via-msw', p.id), med('msw-plain', p.id)).padStart(15)}` +
        `   CPU per answer: aimock/mock ${times(cpuMed('aimock', p.id), cpuMed('standalone', p.id))}, mock/bare ${times(cpuMed('standalone', p.id), cpuMed('bare', p.id))}`,
    );
    check(`mock >= 0.8 x bare, ${p.label}`, vsBare, 0.8);
    if (!p.varied) check(`mock >= 4 x aimock ${aimock ?? ''}, ${p.label}`, vsAimock, 4);
    if (!p.varied) check(`via-msw no slower than msw-plain, ${p.label}`, vsMsw, 0.95);
  }
  out(`\n${outcomes.join('\n')}`);
}

async function profile(answersFile: string): Promise<void> {
  out(`\n== where the time goes: CPU profile of the mock (standalone, speed 0) during ${DURATION} s of load per path (after a warm-up run), self time by stage`);
  const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-cpuprof-'));
  const server = await startServer('standalone', answersFile);
  try {
    for (const id of ['synth-json', 'synth-stream', 'synth-stream-varied', 'fixture-stream']) {
      const p = PATHS.find((x) => x.id === id)!;
      await load(server, p); // warm-up: JIT and caches, as in the throughput runs
      const file = path.join(dir, `${id}.cpuprofile`);
      const stop = await server.profile(file);
      const r = await load(server, p);
      await stop();
      const s = summarizeProfile(file);
      out(`\n  ${p.label} (${r.rps.toFixed(0)} req/s while profiled): ${s.busyMs.toFixed(0)} ms busy of ${DURATION * 1000} ms`);
      for (const x of s.stages) out(`    ${(100 * x.share).toFixed(1).padStart(5)}%  ${x.stage}`);
      out('    top functions (self time):');
      for (const x of s.top) out(`    ${(100 * x.share).toFixed(1).padStart(5)}%  ${x.fn}`);
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function streams(answersFile: string): Promise<void> {
  out(`\n== ${STREAMS} concurrent synthesized streams, a chunk every ${CHUNK_MS} ms, 10% of the clients leave after 3 events`);
  const server = await startServer('standalone', answersFile, { memory: true });
  const mb = (m: NodeJS.MemoryUsage) => `heap ${(m.heapUsed / 1048576).toFixed(1)} MB, rss ${(m.rss / 1048576).toFixed(1)} MB`;
  try {
    // a first crowd as the warm-up: it fills what the mock keeps by design (the journal's last 1000
    // requests, the answer cache's 512 decisions); the baseline is the memory after it, so that the
    // comparison shows what the second crowd leaves behind
    const warm = await concurrentStreams(server.url, { streams: STREAMS, abortShare: 0.1, chunkDelayMs: CHUNK_MS });
    if (warm.errors.length > 0) out(`  warm-up crowd: ${warm.errors.length} errors, e.g. ${warm.errors[0]}`);
    const baseline = await server.memory();
    let peak = baseline;
    const sampler = setInterval(() => {
      void server.memory().then((m) => {
        if (m.rss > peak.rss) peak = m;
      });
    }, 250);
    const r = await concurrentStreams(server.url, { streams: STREAMS, abortShare: 0.1, chunkDelayMs: CHUNK_MS });
    clearInterval(sampler);
    out(`  ${r.completed} complete (${r.endedWithDone} ending in [DONE]), ${r.aborted} left mid-stream, ${r.errors.length} errors, ${(r.ms / 1000).toFixed(1)} s`);
    for (const e of r.errors.slice(0, 5)) out(`    ${e}`);
    out(`  server memory before: ${mb(baseline)}; peak: ${mb(peak)}`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
    const after = await server.memory();
    const heapRatio = after.heapUsed / baseline.heapUsed;
    const rssRatio = after.rss / baseline.rss;
    out(`  ${SETTLE_S} s later:   ${mb(after)} (heap ${heapRatio.toFixed(2)}x, rss ${rssRatio.toFixed(2)}x the baseline)`);
    out(`  ${r.errors.length === 0 && r.endedWithDone === r.completed ? 'MET ' : 'MISS'}  0 errors and every completed stream ends in [DONE]`);
    out(`  ${heapRatio <= 1.1 ? 'MET ' : 'MISS'}  heap back within 10% of the baseline ${SETTLE_S} s later`);
    out(`  ${rssRatio <= 1.1 ? 'MET ' : 'MISS'}  rss back within 10% of the baseline ${SETTLE_S} s later`);
    if (r.errors.length > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const phases = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const want = (phase: string) => phases.length === 0 || phases.includes(phase);
  const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-bench-'));
  const answersFile = path.join(dir, 'answers.json');
  const answers = captureAnswers();
  writeFileSync(answersFile, JSON.stringify(Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, { ...a, writes: a.writes.map((w) => w.toString('base64')) }]))));
  out(`oai-compat mock bench (Node ${process.version}): ${Object.entries(answers).map(([id, a]) => `${id} ${a.writes.reduce((n, w) => n + w.byteLength, 0)} bytes in ${a.writes.length} write${a.writes.length === 1 ? '' : 's'}`).join(', ')}`);
  try {
    if (want('throughput')) await throughput(answersFile);
    if (want('profile')) await profile(answersFile);
    if (want('streams')) await streams(answersFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
