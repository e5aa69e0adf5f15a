// Big answers give honest verdicts and a small report (issue 11.4). Through a proxy that pads every
// answer without making it wrong (test-support/test-endpoints.ts): each JSON answer gains 50 MB, each
// stream 200,000 empty chunks. The same checks run against the unpadded mock in the same test; the
// verdicts must be the same, no message may call a valid body "not JSON", and the report stays small
// (long streams summarised). Past the body limit a check says the size and the limit.
// `npm run bench:big-answers` runs the whole suite this way and states time and peak memory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startMockServer, type RunningMockServer } from '../../mock-server/standalone.ts';
import type { ComplianceReport } from '../../reports/model.ts';
import { startPaddingEndpoint, type Endpoint } from '../../test-support/test-endpoints.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEY = 'sk-oai-compat-big-answers-00000000';
const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-big-'));
// Checks that judge one shared non-stream answer and one shared stream (a few requests in all).
const GREP = '(core\\.(completion\\.schema|object|id|choices\\.non-empty|message\\.content-string|usage\\.arithmetic)|stream\\.(framing|events-json|chunk\\.schema|same-id|content-concatenates|finish-reason\\.last|done-sentinel|done-last)):';

interface Run {
  code: number | null;
  output: string;
  report: ComplianceReport;
  reportDir: string;
}

function runSuite(name: string, baseUrl: string, extra: Record<string, string> = {}, grep = GREP): Promise<Run> {
  const reportDir = path.join(tmp, name);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(MODEL|PROFILE|REPORT_DIR|MOCK_.*|OAI_COMPAT_.*|NODE_TEST_CONTEXT|NODE_OPTIONS)$/.test(k)) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO, 'node_modules', '.bin', 'playwright'), ['test', '-g', grep], {
      cwd: REPO,
      env: { ...env, BASE_URL: baseUrl, API_KEY: KEY, REPORT_DIR: reportDir, OAI_COMPAT_OUTPUT_DIR: path.join(tmp, `${name}-out`), CI: '1', FORCE_COLOR: '0', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, output, reportDir, report: JSON.parse(readFileSync(path.join(reportDir, 'compliance.json'), 'utf8')) });
      } catch (error) {
        reject(new Error(`${name}: no report (exit ${code}): ${(error as Error).message}\n${output.slice(-3000)}`));
      }
    });
  });
}

let mock: RunningMockServer;
let padded: Endpoint;
let overLimit: Endpoint;
let plain: Run;
let big: Run;
let limited: Run;

before(async () => {
  mock = await startMockServer({ port: 0, requireKey: KEY, quiet: true });
  padded = await startPaddingEndpoint(mock.url, { jsonBytes: 50 * 1024 * 1024, streamEvents: 200_000 });
  overLimit = await startPaddingEndpoint(mock.url, { jsonBytes: 2 * 1024 * 1024 });
  [plain, big, limited] = await Promise.all([
    runSuite('plain', `${mock.url}/v1`),
    runSuite('padded', `${padded.url}/v1`),
    runSuite('over-limit', `${overLimit.url}/v1`, { OAI_COMPAT_MAX_BODY_MB: '1', MODEL: 'mock-gpt' }, 'core\\.object:'),
  ]);
});

after(async () => {
  await padded?.close();
  await overLimit?.close();
  await mock?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('50 MB answers and 200,000-event streams', { timeout: 240_000 }, () => {
  test('the same verdicts as the unpadded answers; nothing valid is called "not JSON"', () => {
    const verdicts = (r: Run) => Object.fromEntries(r.report.checks.map((c) => [c.id, c.verdict]));
    assert.ok(plain.report.checks.length >= 14, `${plain.report.checks.length} checks ran`);
    assert.deepEqual(verdicts(big), verdicts(plain), big.output.slice(-3000));
    assert.equal(big.code, plain.code);
    for (const c of big.report.checks) assert.doesNotMatch(c.message, /not JSON/, c.id);
  });

  test('the evidence holds the sizes, and the report stays small', () => {
    const stream = big.report.checks.find((c) => c.id === 'stream.framing')!;
    const timings = stream.evidence!.exchanges[0].timings!;
    assert.ok((timings.events ?? 0) > 200_000, `events: ${timings.events}`);
    assert.ok(timings.gapSummary && timings.gapSummary.count > 200_000, 'the gaps are summarised');
    assert.ok((timings.gapsMs ?? []).length <= 240, `${timings.gapsMs?.length} bars`);
    const body = big.report.checks.find((c) => c.id === 'core.object')!.evidence!.exchanges[0].response!;
    assert.equal(body.truncated, true);
    assert.ok(body.body.length <= 4100);
    for (const f of ['compliance.json', 'compliance.html', 'junit.xml']) {
      const size = statSync(path.join(big.reportDir, f)).size;
      assert.ok(size < 2 * 1024 * 1024, `${f}: ${size} bytes`);
    }
    assert.ok(statSync(path.join(big.reportDir, 'html', 'index.html')).size < 4 * 1024 * 1024);
  });

  test("past the body limit the check is inconclusive and says so, with the size and the limit, instead of \"not JSON\"", () => {
    const c = limited.report.checks.find((x) => x.id === 'core.object')!;
    assert.equal(c.verdict, 'SKIP');
    assert.match(c.message, /the body of 2\.\d MB exceeds the suite's limit of 1 MB/);
    assert.doesNotMatch(c.message, /not JSON/);
  });
});
