// The reports from real runs of the suite against the embedded mock server:
//  - a single run and a run split in two shards (blob reports, merged with our reporter) give the same
//    report: every check exactly once, the same verdicts;
//  - Playwright's own HTML report counts a FAIL verdict as a failed test (the worker does not fail it;
//    our reporter does, before Playwright's reporters see the result);
//  - with a canary API key, no file the runs write (reports, Playwright's HTML report and its embedded
//    zip, test-results, blob zips) and no console output contains the key, in plain text or base64,
//    also from a careless endpoint that echoes the key in its model ids (no MODEL set, so the run
//    tests the key-bearing model), in its answers' content and in response headers;
//  - the real run's compliance.html renders in a browser without errors.
// The three runs go in parallel, each with its own REPORT_DIR, --output and blob directory, all with the
// mock's `no-done` fault so that the reports hold FAIL and SKIP verdicts (and failure output) too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startMockServer, type RunningMockServer } from '../mock-server/standalone.ts';
import { allChecks } from '../suites/checks/index.ts';
import { findLeaks } from '../test-support/leak-scan.ts';
import { embeddedReportZip, readZip } from '../test-support/zip-read.ts';
import { chromiumMissing, launchChromium } from '../test-support/chromium.ts';
import type { ComplianceReport } from './model.ts';
import { REPORT_FILES } from './write.ts';
import { startEchoingEndpoint, type Endpoint } from '../test-support/test-endpoints.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLAYWRIGHT = path.join(REPO, 'node_modules', '.bin', 'playwright');
const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-suite-'));
const KEEP = process.env.KEEP_TMP === '1';
after(() => {
  if (!KEEP) rmSync(tmp, { recursive: true, force: true });
});

// Two canaries: one shaped like an OpenAI key (caught by the generic pattern too), one that only the
// registered-secret redaction can catch.
const CANARY_SK = `sk-canary-${randomBytes(12).toString('hex')}`;
const CANARY_PLAIN = `oaicanary${randomBytes(12).toString('hex')}`;

interface Run {
  name: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(BASE_URL|API_KEY|OPENAI_API_KEY|MODEL|PROFILE|REPEAT|REPORT_DIR|MOCK_FAULT|MOCK_SPEED|OAI_COMPAT_.*|PLAYWRIGHT_.*|PW_.*|NODE_TEST_CONTEXT|NODE_OPTIONS)$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0', CI: '1', ...extra };
}

function run(name: string, args: string[], env: Record<string, string>): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(PLAYWRIGHT, args, { cwd: REPO, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ name, code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

function readReport(dir: string): ComplianceReport {
  return JSON.parse(readFileSync(path.join(dir, 'compliance.json'), 'utf8')) as ComplianceReport;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

const SECRETS = [CANARY_SK, CANARY_PLAIN];
const FAULT = { MOCK_FAULT: 'no-done' };

const dirs = {
  single: path.join(tmp, 'single', 'reports'),
  singleOut: path.join(tmp, 'single', 'test-results'),
  blob1: path.join(tmp, 'blob-1'),
  blob2: path.join(tmp, 'blob-2'),
  out1: path.join(tmp, 'shard-1', 'test-results'),
  out2: path.join(tmp, 'shard-2', 'test-results'),
  blobs: path.join(tmp, 'blobs'),
  merged: path.join(tmp, 'merged', 'reports'),
  echo: path.join(tmp, 'echo', 'reports'),
  echoOut: path.join(tmp, 'echo', 'test-results'),
};

let echoMock: RunningMockServer | undefined;
let echoing: Endpoint | undefined;
after(async () => {
  await echoing?.close();
  await echoMock?.close();
});

describe('reports from real suite runs against the embedded mock', { timeout: 240_000 }, () => {
  const runs: Run[] = [];

  before(async () => {
    const started = performance.now();
    echoMock = await startMockServer({ port: 0, requireKey: CANARY_PLAIN, quiet: true });
    echoing = await startEchoingEndpoint(echoMock.url);
    const [single, shard1, shard2, echo] = await Promise.all([
      run('single', ['test', '--output', dirs.singleOut], { ...FAULT, REPORT_DIR: dirs.single, API_KEY: CANARY_SK }),
      run('shard 1/2', ['test', '--shard=1/2', '--reporter=blob', '--output', dirs.out1], { ...FAULT, PLAYWRIGHT_BLOB_OUTPUT_DIR: dirs.blob1, API_KEY: CANARY_PLAIN, REPORT_DIR: path.join(tmp, 'unused-1') }),
      run('shard 2/2', ['test', '--shard=2/2', '--reporter=blob', '--output', dirs.out2], { ...FAULT, PLAYWRIGHT_BLOB_OUTPUT_DIR: dirs.blob2, API_KEY: CANARY_PLAIN, REPORT_DIR: path.join(tmp, 'unused-2') }),
      run('echoing endpoint', ['test', '--output', dirs.echoOut], { BASE_URL: `${echoing.url}/v1`, API_KEY: CANARY_PLAIN, REPORT_DIR: dirs.echo }),
    ]);
    runs.push(single, shard1, shard2, echo);
    mkdirSync(dirs.blobs, { recursive: true });
    for (const d of [dirs.blob1, dirs.blob2]) {
      for (const f of existsSync(d) ? readdirSync(d) : []) if (f.endsWith('.zip')) copyFileSync(path.join(d, f), path.join(dirs.blobs, f));
    }
    runs.push(await run('merge', ['merge-reports', '--config', 'reports/merge.config.ts', dirs.blobs], { REPORT_DIR: dirs.merged }));
    const timing = runs.map((r) => `${r.name} ${(r.ms / 1000).toFixed(1)}s (exit ${r.code})`).join(', ');
    process.stdout.write(`# runs: ${timing}; total ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
  });

  test('the runs completed (a FAIL verdict exits 1; anything else is a crash)', () => {
    for (const r of runs) {
      assert.ok(r.code === 0 || r.code === 1, `${r.name} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    }
  });

  test('a single run writes every output into REPORT_DIR', () => {
    for (const f of REPORT_FILES) assert.ok(existsSync(path.join(dirs.single, f)), f);
    assert.ok(existsSync(path.join(dirs.single, 'html', 'index.html')), "Playwright's HTML report in REPORT_DIR/html");
    const report = readReport(dirs.single);
    assert.equal(report.target.mock, true);
    assert.ok(report.summary.FAIL > 0, 'the no-done fault makes a MUST fail');
    assert.equal(runs[0].code, 1, 'a FAIL verdict fails the run');
  });

  test('merged shards: every check exactly once, the same verdicts as the single run', () => {
    assert.equal(readdirSync(dirs.blobs).filter((f) => f.endsWith('.zip')).length, 2, 'one blob per shard');
    for (const f of REPORT_FILES) assert.ok(existsSync(path.join(dirs.merged, f)), f);
    assert.ok(existsSync(path.join(dirs.merged, 'html', 'index.html')));
    const single = readReport(dirs.single);
    const merged = readReport(dirs.merged);
    const ids = merged.checks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'no check twice');
    assert.deepEqual([...ids].sort(), allChecks.map((c) => c.id).sort(), 'every check of the suite');
    assert.deepEqual(single.checks.map((c) => c.id).sort(), [...ids].sort());
    const verdicts = (r: ComplianceReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]));
    assert.deepEqual(verdicts(merged), verdicts(single));
    assert.equal(merged.summary.total, single.summary.total);
    assert.deepEqual(merged.summary.byLevel, single.summary.byLevel);
    assert.equal(merged.target.mock, true);
    // Each shard ran only part of the suite.
    assert.ok(runs[1].stdout.length > 0 && runs[2].stdout.length > 0);
  });

  test("Playwright's HTML report counts each FAIL verdict as a failed test, with the verdict's message", () => {
    const report = readReport(dirs.single);
    const zip = embeddedReportZip(readFileSync(path.join(dirs.single, 'html', 'index.html'), 'latin1'));
    assert.ok(zip, 'the HTML report embeds its data');
    const entries = readZip(zip);
    const stats = JSON.parse(entries.find((e) => e.name === 'report.json')!.data.toString('utf8')).stats;
    assert.equal(stats.unexpected, report.summary.FAIL);
    assert.equal(stats.total, report.checks.length);
    const failed = report.checks.find((c) => c.verdict === 'FAIL')!;
    const shown = entries.some((e) => e.name !== 'report.json' && e.data.toString('utf8').includes(`${failed.id} [${failed.level}] FAIL:`));
    assert.ok(shown, `the failure of ${failed.id} is shown with its message`);
  });

  test('a careless endpoint echoing the key: the run used the key-bearing model and answers, all redacted', () => {
    const report = readReport(dirs.echo);
    assert.equal(report.target.model, 'mock-gpt-[redacted]', 'no MODEL: the first id of GET /models, which holds the key');
    const headers = report.checks.flatMap((c) => c.evidence?.exchanges ?? []).map((x) => x.response?.headers ?? {});
    assert.ok(headers.some((h) => h['x-echo-key'] === '[redacted]'), 'the echoed header was redacted');
    const bodies = report.checks.flatMap((c) => c.evidence?.exchanges ?? []).map((x) => x.response?.body ?? '');
    assert.ok(bodies.some((b) => b.includes('[redacted] ')), 'the echoed content was redacted');
  });

  test('the canary API key appears nowhere: reports, HTML report, test-results, blobs, console', () => {
    // The key was really used: the mock refuses requests without it, and the auth checks judged that.
    const single = readReport(dirs.single);
    assert.ok(single.checks.some((c) => c.capability === 'core' && c.verdict === 'PASS'), 'requests with the key were answered');
    const found: string[] = [];
    const all = files(tmp);
    assert.ok(all.length > 10, `expected written files under ${tmp}`);
    for (const f of all) found.push(...findLeaks(path.relative(tmp, f), readFileSync(f), SECRETS));
    for (const r of runs) {
      found.push(...findLeaks(`${r.name} stdout`, Buffer.from(r.stdout), SECRETS), ...findLeaks(`${r.name} stderr`, Buffer.from(r.stderr), SECRETS));
    }
    assert.deepEqual(found, []);
  });

  test("the real run's compliance.html renders in chromium, without script errors", { skip: chromiumMissing() }, async () => {
    const report = readReport(dirs.single);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`file://${path.join(dirs.single, 'compliance.html')}`);
      assert.equal(await page.locator('details.check').count(), report.checks.length);
      assert.equal(await page.locator('.matrix .cell').count(), report.checks.length);
      assert.equal(await page.locator('details.check.is-FAIL[open]').count(), report.summary.FAIL);
      assert.ok(await page.locator('details.check.is-FAIL .ev .msg').first().isVisible());
      const shown = await page.locator('[data-shown]').textContent();
      assert.equal(shown, `${report.checks.length} of ${report.checks.length} checks shown`);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
