// `npm run bench:failing`: the suite's wall time against an endpoint that fails most checks, divided by
// its wall time against a clean endpoint, both measured in this run on the same machine: the mock
// server, clean, then with a server-wide fault (every answer a 500; every body malformed JSON).
// Target: at most 2 (it was about 10 when each failed test made Playwright replace its worker).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMockServer } from '../mock-server/standalone.ts';
import { megabytes, watchMemory } from './process-tree.ts';

const KEY = 'sk-oai-compat-bench-failing-0000000';
const WORKERS = Number(process.env.WORKERS ?? 2);

interface Run {
  wallMs: number;
  code: number | null;
  fails: number;
  checks: number;
  peakBytes: number;
}

async function runSuite(faults: string[], tmp: string): Promise<Run> {
  const server = await startMockServer({ port: 0, requireKey: KEY, quiet: true, faults });
  const reportDir = path.join(tmp, faults.join('-') || 'clean');
  const started = performance.now();
  try {
    const child = spawn(path.join('node_modules', '.bin', 'playwright'), ['test'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      // MODEL: a faulted GET /models cannot name one.
      env: { ...process.env, BASE_URL: `${server.url}/v1`, API_KEY: KEY, MODEL: 'mock-gpt', REPORT_DIR: reportDir, WORKERS: String(WORKERS), OAI_COMPAT_OUTPUT_DIR: path.join(tmp, 'out'), CI: '1' },
    });
    const watch = watchMemory(child.pid!);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const wallMs = performance.now() - started;
    const report = JSON.parse(readFileSync(path.join(reportDir, 'compliance.json'), 'utf8')) as { summary: { FAIL: number; total: number } };
    return { wallMs, code, fails: report.summary.FAIL, checks: report.summary.total, peakBytes: watch.stop().totalBytes };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-bench-failing-'));
  try {
    console.log(`bench:failing — the whole suite against the mock, ${WORKERS} workers`);
    const clean = await runSuite([], tmp);
    const show = (name: string, r: Run) =>
      `  ${name.padEnd(28)} ${(r.wallMs / 1000).toFixed(1).padStart(5)} s  exit ${r.code}  ${String(r.fails).padStart(3)} of ${r.checks} checks FAIL  peak memory ${megabytes(r.peakBytes)}`;
    console.log(show('clean', clean));
    for (const faults of [['status:500'], ['malformed-json']]) {
      const failing = await runSuite(faults, tmp);
      const ratio = failing.wallMs / clean.wallMs;
      console.log(`${show(`fault ${faults.join(',')}`, failing)}  ratio ${ratio.toFixed(2)} (target <= 2) ${ratio <= 2 ? 'OK' : 'ABOVE TARGET'}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
