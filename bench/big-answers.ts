// `npm run bench:big-answers`: the whole suite against the mock behind a proxy that makes every answer
// big but valid (test-support/test-endpoints.ts): every JSON answer 50 MB, then every stream 200,000 events.
// For each run: wall time, the verdicts that differ from an unpadded run measured in the same run
// (there should be none), the size of the reports, and the peak resident memory of the suite's
// processes (Playwright's runner and workers; the proxy and mock are in this process, not counted).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMockServer } from '../mock-server/standalone.ts';
import { startPaddingEndpoint } from '../test-support/test-endpoints.ts';
import { megabytes, watchMemory, type MemoryPeak } from './process-tree.ts';

const KEY = 'sk-oai-compat-bench-big-000000000000';
const JSON_BYTES = Number(process.env.JSON_MB ?? 50) * 1024 * 1024;
const STREAM_EVENTS = Number(process.env.STREAM_EVENTS ?? 200_000);

interface Run {
  name: string;
  code: number | null;
  wallMs: number;
  memory: MemoryPeak;
  verdicts: Record<string, { verdict: string; message: string }>;
  reportBytes: number;
  htmlBytes: number;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = statSync(path.join(dir, f));
    if (st.isFile()) total += st.size;
  }
  return total;
}

async function runSuite(name: string, mockUrl: string, padding: { jsonBytes?: number; streamEvents?: number }, tmp: string): Promise<Run> {
  const proxy = await startPaddingEndpoint(mockUrl, padding);
  const reportDir = path.join(tmp, name.replace(/\W+/g, '-'));
  const started = performance.now();
  const child = spawn(path.join('node_modules', '.bin', 'playwright'), ['test'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, BASE_URL: `${proxy.url}/v1`, API_KEY: KEY, REPORT_DIR: reportDir, OAI_COMPAT_OUTPUT_DIR: path.join(tmp, 'out'), CI: '1' },
  });
  const watch = watchMemory(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const memory = watch.stop();
  const wallMs = performance.now() - started;
  await proxy.close();
  const report = JSON.parse(readFileSync(path.join(reportDir, 'compliance.json'), 'utf8')) as { checks: { id: string; verdict: string; message: string }[] };
  return {
    name,
    code,
    wallMs,
    memory,
    verdicts: Object.fromEntries(report.checks.map((c) => [c.id, { verdict: c.verdict, message: c.message }])),
    reportBytes: folderBytes(reportDir) - folderBytes(path.join(reportDir, 'html')),
    htmlBytes: folderBytes(path.join(reportDir, 'html')),
  };
}

async function main(): Promise<void> {
  const mock = await startMockServer({ port: 0, requireKey: KEY, quiet: true });
  const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-bench-big-'));
  try {
    console.log(`bench:big-answers — the whole suite, 2 workers; JSON answers padded to ${megabytes(JSON_BYTES)}, streams to ${STREAM_EVENTS} events`);
    const baseline = await runSuite('unpadded', mock.url, {}, tmp);
    const runs = [baseline, await runSuite(`JSON ${megabytes(JSON_BYTES)}`, mock.url, { jsonBytes: JSON_BYTES }, tmp), await runSuite(`streams ${STREAM_EVENTS} events`, mock.url, { streamEvents: STREAM_EVENTS }, tmp)];
    for (const r of runs) {
      const differing = Object.entries(r.verdicts).filter(([id, v]) => baseline.verdicts[id]?.verdict !== v.verdict);
      console.log(`  ${r.name.padEnd(24)} exit ${r.code}  wall ${(r.wallMs / 1000).toFixed(1)} s (${(r.wallMs / baseline.wallMs).toFixed(2)}× unpadded)  peak memory ${megabytes(r.memory.totalBytes)} (largest process ${megabytes(r.memory.largestBytes)})  reports ${megabytes(r.reportBytes)} + Playwright's html ${megabytes(r.htmlBytes)}`);
      for (const [id, v] of differing) console.log(`      ${id}: ${baseline.verdicts[id]?.verdict} → ${v.verdict}: ${v.message.split('\n')[0].slice(0, 160)}`);
      if (r !== baseline && differing.length === 0) console.log('      verdicts: identical to the unpadded run');
    }
  } finally {
    await mock.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
