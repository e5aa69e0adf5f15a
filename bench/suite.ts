// `npm run bench:suite`: the conformance suite's wall time against the mock server, divided by the
// wall time of a bare script that sends exactly the same requests (taken from the mock's journal)
// with the same concurrency and reads every body to its end. Both are measured in this run, on the
// same server. Target: a ratio of at most 2.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JournalEntry } from '../mock-server/journal.ts';
import { startMockServer } from '../mock-server/standalone.ts';

const SESSION = 'bench-suite';
const WORKERS = Number(process.env.WORKERS ?? 2);
const SPEED = Number(process.env.MOCK_SPEED ?? 1);
const KEY = 'sk-oai-compat-bench-0000000000000000';

/** Wall time of the whole run, and the span from the first check's start to the last check's end. */
async function runSuite(baseUrl: string, reportDir: string): Promise<{ wallMs: number; checksMs: number }> {
  const jsonFile = path.join(reportDir, 'results.json');
  const started = performance.now();
  const code = await new Promise<number>((resolve) => {
    // The binary directly: `npx` alone adds ~0.3 s of npm start-up that is not the suite's.
    const child = spawn(path.join('node_modules', '.bin', 'playwright'), ['test', '--reporter=dot,json'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        BASE_URL: baseUrl,
        API_KEY: KEY,
        OAI_COMPAT_MOCK: '1',
        REPORT_DIR: reportDir,
        WORKERS: String(WORKERS),
        OAI_COMPAT_EXTRA_HEADERS: JSON.stringify({ 'x-mock-session': SESSION }),
        PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile,
      },
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const wallMs = performance.now() - started;
  if (code !== 0) console.warn(`  (the suite exited ${code}; timing kept)`);
  return { wallMs, checksMs: checksSpan(JSON.parse(readFileSync(jsonFile, 'utf8'))) };
}

function checksSpan(report: any): number {
  let first = Infinity;
  let last = 0;
  const walk = (suite: any) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        for (const r of t.results) {
          const start = Date.parse(r.startTime);
          first = Math.min(first, start);
          last = Math.max(last, start + r.duration);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  return last - first;
}

/** Send every journalled request again, `WORKERS` at a time, reading each body to its end. */
async function runBare(origin: string, entries: JournalEntry[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const e = entries[next++];
      const query = new URLSearchParams(e.query).toString();
      const headers: Record<string, string> = { 'x-mock-session': `${SESSION}-bare` };
      for (const [k, v] of Object.entries(e.headers)) if (k === 'content-type' || k === 'accept' || k.startsWith('x-mock-')) headers[k] = v;
      if (e.headers.authorization) headers.authorization = `Bearer ${KEY}`;
      headers['x-mock-session'] = `${SESSION}-bare`;
      const body = e.body !== null && e.body !== undefined ? JSON.stringify(e.body) : e.bodyText;
      try {
        const res = await fetch(`${origin}${e.path}${query ? `?${query}` : ''}`, { method: e.method, headers, body: e.method === 'GET' ? undefined : body });
        await res.arrayBuffer();
      } catch {
        // a faulted or reset answer still counts as sent
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return performance.now() - started;
}

/** Playwright's own cost: the same number of empty tests, in as many workers, timed the same way. */
async function runEmptySuite(tests: number): Promise<number> {
  // Inside the repository so that @playwright/test resolves from its node_modules.
  const dir = mkdtempSync(path.join(process.cwd(), '.bench-empty-'));
  try {
    writeFileSync(path.join(dir, 'playwright.config.ts'), `export default { testDir: '.', workers: ${WORKERS}, reporter: 'dot' };\n`);
    const files = WORKERS * 4;
    for (let f = 0; f < files; f++) {
      const count = Math.ceil(tests / files);
      writeFileSync(
        path.join(dir, `empty-${f}.spec.ts`),
        `import { test } from '@playwright/test';\nfor (let i = 0; i < ${count}; i++) test('empty ' + i, async ({}, info) => { info.annotations.push({ type: 'x', description: 'y'.repeat(4000) }); });\n`,
      );
    }
    const started = performance.now();
    await new Promise<number>((resolve) => {
      const child = spawn(path.resolve('node_modules', '.bin', 'playwright'), ['test'], { cwd: dir, stdio: 'ignore' });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startMockServer({ port: 0, speed: SPEED, requireKey: KEY, quiet: true, journalLimit: 100_000 });
  const reportDir = mkdtempSync(path.join(tmpdir(), 'oai-compat-bench-'));
  try {
    console.log(`bench:suite — mock at speed ${SPEED}, ${WORKERS} workers`);
    const { wallMs: suiteMs, checksMs } = await runSuite(`${server.url}/v1`, reportDir);
    const journal = (await (await fetch(`${server.url}/__mock/journal?session=${SESSION}`)).json()) as { entries: JournalEntry[] };
    const entries = journal.entries;
    const bareMs = await runBare(server.url, entries);
    const ratio = suiteMs / bareMs;
    const checks = (JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8')) as { stats: { expected: number; unexpected: number } }).stats;
    const tests = checks.expected + checks.unexpected;
    const emptyMs = await runEmptySuite(tests);
    console.log(`  requests sent by the suite : ${entries.length}`);
    console.log(`  suite wall time            : ${(suiteMs / 1000).toFixed(2)} s (process start, Playwright start-up, reports included)`);
    console.log(`    of which checks running  : ${(checksMs / 1000).toFixed(2)} s (first check start to last check end)`);
    console.log(`  bare script, same requests : ${(bareMs / 1000).toFixed(2)} s`);
    console.log(`  ratio suite / bare         : ${ratio.toFixed(2)}  (target <= 2) ${ratio <= 2 ? 'OK' : 'ABOVE TARGET'}`);
    console.log(`  ratio checks only / bare   : ${(checksMs / bareMs).toFixed(2)}  (the suite's per-request overhead, without its fixed start-up)`);
    console.log(`  Playwright alone           : ${(emptyMs / 1000).toFixed(2)} s for ${tests} empty tests (its floor: (floor + bare) / bare = ${((emptyMs + bareMs) / bareMs).toFixed(2)})`);
  } finally {
    await server.close();
    rmSync(reportDir, { recursive: true, force: true });
  }
}

await main();
