// `npm run bench:suite`: the conformance suite's wall time against the mock server, divided by the
// wall time of a bare script that sends exactly the same requests (taken from the mock's journal)
// with the same concurrency and reads every body to its end. Both are measured in this run, on the
// same server. Target: a ratio of at most 2.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMockServer } from '../mock-server/standalone.ts';

const SESSION = 'bench-suite';
const WORKERS = Number(process.env.WORKERS ?? 2);
const SPEED = Number(process.env.MOCK_SPEED ?? 1);
const KEY = 'sk-oai-compat-bench-0000000000000000';

interface JournalEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  bodyText?: string;
}

async function runSuite(baseUrl: string, reportDir: string): Promise<number> {
  const started = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npx', ['playwright', 'test', '--reporter=dot'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        BASE_URL: baseUrl,
        API_KEY: KEY,
        OAI_COMPAT_MOCK: '1',
        REPORT_DIR: reportDir,
        WORKERS: String(WORKERS),
        OAI_COMPAT_EXTRA_HEADERS: JSON.stringify({ 'x-mock-session': SESSION }),
      },
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const ms = performance.now() - started;
  if (code !== 0) console.warn(`  (the suite exited ${code}; timing kept)`);
  return ms;
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

async function main(): Promise<void> {
  const server = await startMockServer({ port: 0, speed: SPEED, requireKey: KEY, quiet: true, journalLimit: 100_000 });
  const reportDir = mkdtempSync(path.join(tmpdir(), 'oai-compat-bench-'));
  try {
    console.log(`bench:suite — mock at speed ${SPEED}, ${WORKERS} workers`);
    const suiteMs = await runSuite(`${server.url}/v1`, reportDir);
    const journal = (await (await fetch(`${server.url}/__mock/journal?session=${SESSION}`)).json()) as { entries: JournalEntry[] };
    const entries = journal.entries;
    const bareMs = await runBare(server.url, entries);
    const ratio = suiteMs / bareMs;
    console.log(`  requests sent by the suite : ${entries.length}`);
    console.log(`  suite wall time            : ${(suiteMs / 1000).toFixed(2)} s (Playwright start-up included)`);
    console.log(`  bare script, same requests : ${(bareMs / 1000).toFixed(2)} s`);
    console.log(`  ratio suite / bare         : ${ratio.toFixed(2)}  (target <= 2) ${ratio <= 2 ? 'OK' : 'ABOVE TARGET'}`);
  } finally {
    await server.close();
    rmSync(reportDir, { recursive: true, force: true });
  }
}

await main();
