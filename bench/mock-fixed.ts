// A fixed amount of load, for timing whole processes from outside (e.g. /usr/bin/time, hyperfine,
// or any timer that pairs two commands): starts one server of bench/mock-servers.ts, sends REQUESTS
// requests of one path with autocannon (50 connections), prints req/s and the server's CPU per answer,
// stops the server and exits.
//
//   node --import tsx bench/mock-fixed.ts standalone synth-json 50000
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { bodyFor, captureAnswers, PATHS } from './mock-paths.ts';
import { startServer, type ServerKind } from './mock-servers.ts';

async function main(): Promise<void> {
  const [kind, pathId, amount] = process.argv.slice(2);
  const p = PATHS.find((x) => x.id === pathId);
  if (!kind || !p || !Number(amount)) throw new Error(`usage: mock-fixed.ts SERVER PATH REQUESTS (paths: ${PATHS.map((x) => x.id).join(', ')})`);
  const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-bench-fixed-'));
  const answersFile = path.join(dir, 'answers.json');
  writeFileSync(answersFile, JSON.stringify(Object.fromEntries(Object.entries(captureAnswers()).map(([id, a]) => [id, { ...a, writes: a.writes.map((w) => w.toString('base64')) }]))));
  const aimockEntry = path.join(process.env.BENCH_AIMOCK_DIR ?? path.join(tmpdir(), 'oai-compat-bench-aimock'), 'node_modules', '@copilotkit', 'aimock', 'dist', 'index.js');
  const server = await startServer(kind as ServerKind, answersFile, { aimockEntry });
  try {
    let n = 0;
    const cpu = await server.cpu();
    const r = await autocannon({
      url: `${server.url}/v1/chat/completions`,
      method: 'POST',
      connections: 50,
      amount: Number(amount),
      headers: { 'content-type': 'application/json', 'x-bench-path': p.id, ...p.headers },
      ...(p.varied ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodyFor(p, n++) }) }] } : { body: bodyFor(p, 0) }),
    });
    const cpuUs = ((await server.cpu()) - cpu) / Math.max(1, r.requests.total);
    process.stdout.write(`${kind} ${p.id}: ${r.requests.total} requests, ${r.requests.average.toFixed(0)} req/s, server CPU ${cpuUs.toFixed(1)} µs per answer, ${r.errors} errors, ${r.non2xx} non-2xx\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
