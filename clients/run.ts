// `npm run clients`: client conformance across languages.
// Starts the standalone mock server (speed 0) on a free port, runs every client against every fixture
// that has an `expect`, writes REPORT_DIR/clients.json and clients.html (REPORT_DIR default: reports/),
// and exits non-zero only when a result is an unexpected FAIL (KNOWN and SKIP do not fail the run).
//
//   npm run clients -- [--clients a,b] [--scenarios x,y] [--mock-url http://127.0.0.1:4010]
//                      [--report-dir DIR] [--concurrency N] [--known FILE] [--fault ID[:PARAM]]...
//                      [--no-retries]
// After the fixtures, the retry scenarios (clients/retry.ts) run each client with its library's default
// retries; --scenarios may name fixtures and retry scenarios; --no-retries leaves the retry scenarios out.
// --fault applies a mock fault to every request (server-wide). Only faults that keep the meaning of
// the answer make sense here, e.g. split-writes (every write cut in two, across characters and
// lines) or crlf: a client must still assemble exactly the expect.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadFixtures } from '../lib/fixtures.ts';
import { KNOWN_FILE, loadWaivers, runHarness } from './harness.ts';
import { CLIENTS, REPO_DIR, findClients } from './registry.ts';
import { RETRY_SCENARIOS } from './retry.ts';
import { writeReports } from './report.ts';

/** The standalone mock on a free port, speed 0; `faults`: server-wide faults for every request. */
export async function startMock(faults: string[] = []): Promise<{ url: string; close(): Promise<void> }> {
  const { startMockServer } = await import('../mock-server/standalone.ts');
  const server = await startMockServer({ port: 0, host: '127.0.0.1', speed: 0, quiet: true, faults });
  return { url: server.url, close: async () => void (await server.close()) };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      scenarios: { type: 'string' },
      'mock-url': { type: 'string' },
      'report-dir': { type: 'string' },
      concurrency: { type: 'string' },
      known: { type: 'string' },
      fault: { type: 'string', multiple: true },
      'no-retries': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      `usage: npm run clients -- [--clients ${CLIENTS.map((c) => c.name).join(',')}] [--scenarios id,id]\n` +
        '                          [--mock-url URL] [--report-dir DIR] [--concurrency N] [--known FILE] [--fault ID[:PARAM]]\n' +
        `                          [--no-retries]   (retry scenarios: ${RETRY_SCENARIOS.map((s) => s.id).join(', ')})`,
    );
    return 0;
  }
  const list = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
  const clients = findClients(list(values.clients));
  const allFixtures = loadFixtures();
  let fixtures = allFixtures.filter((f) => f.expect);
  let retryScenarios = values['no-retries'] ? [] : RETRY_SCENARIOS;
  const wanted = list(values.scenarios);
  if (wanted) {
    const unknown = wanted.filter((id) => !fixtures.some((f) => f.id === id) && !RETRY_SCENARIOS.some((s) => s.id === id));
    if (unknown.length) throw new Error(`unknown scenario(s) or no expect: ${unknown.join(', ')}`);
    fixtures = fixtures.filter((f) => wanted.includes(f.id));
    retryScenarios = retryScenarios.filter((s) => wanted.includes(s.id));
  }
  const waivers = loadWaivers(values.known ?? KNOWN_FILE);
  const reportDir = path.resolve(REPO_DIR, values['report-dir'] ?? process.env.REPORT_DIR ?? 'reports');

  const faults = (values.fault ?? []).flatMap((f) => f.split(',')).filter(Boolean);
  if (faults.length && values['mock-url']) throw new Error('--fault needs the harness to start the mock (leave out --mock-url)');
  const mock = values['mock-url'] ? { url: values['mock-url'], close: async () => {} } : await startMock(faults);
  console.log(
    `mock server: ${mock.url}${faults.length ? ` (faults: ${faults.join(', ')})` : ''}; ${fixtures.length} scenarios and ${retryScenarios.length} retry scenarios × ${clients.length} clients`,
  );
  let report;
  try {
    report = await runHarness({
      mockUrl: mock.url,
      clients,
      fixtures,
      retryScenarios,
      allFixtures,
      waivers,
      concurrency: values.concurrency ? Number(values.concurrency) : 2,
      log: (line) => console.log(line),
    });
  } finally {
    await mock.close();
  }
  const files = writeReports(report, fixtures, reportDir);
  for (const r of report.results.filter((x) => x.verdict === 'FAIL')) {
    console.log(`\nFAIL ${r.client} × ${r.scenario}\n  ${r.diff.replace(/\n/g, '\n  ')}`);
  }
  if (report.retrySummary.length > 0) {
    console.log('\nretry behaviour (reference: the official SDK; findings do not fail the run)');
    for (const r of report.retrySummary) {
      console.log(`  ${r.client}: retries 429/5xx ${r.retriesTransient}; retry-after ${r.honoursRetryAfter}; gives up ${r.givesUp}; retries a 400: ${r.retries400}; dropped stream: ${r.droppedStream}`);
    }
  }
  const s = report.summary;
  console.log(`\n${s.PASS} PASS, ${s.FAIL} FAIL, ${s.KNOWN} KNOWN, ${s.SKIP} SKIP`);
  console.log(`reports: ${path.relative(process.cwd(), files.json)}, ${path.relative(process.cwd(), files.html)}`);
  return report.unexpected > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('clients/run.ts')) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(2);
    },
  );
}
