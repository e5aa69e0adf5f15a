// Runs of the suite that must treat the user's files and the run's state right (issue 11.5, 11.6):
//  - a REPORT_DIR holding the user's files (html/ included) is refused before anything is written;
//    REPORT_DIR=. in the repository too;
//  - a run filtered with -g, and a run interrupted with Ctrl-C, write a report marked partial (HTML and
//    JSON), the interrupted one with exit code 130;
//  - the model is resolved once per run: without MODEL, GET /models is sent once, whatever the workers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { startMockServer } from '../../mock-server/standalone.ts';
import type { ComplianceReport } from '../../reports/model.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLAYWRIGHT = path.join(REPO, 'node_modules', '.bin', 'playwright');
const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-runs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(BASE_URL|API_KEY|OPENAI_API_KEY|MODEL|PROFILE|REPEAT|REPORT_DIR|WORKERS|MOCK_.*|OAI_COMPAT_.*|NODE_TEST_CONTEXT|NODE_OPTIONS|npm_.*)$/.test(k)) out[k] = v;
  return { ...out, CI: '1', FORCE_COLOR: '0', OAI_COMPAT_OUTPUT_DIR: path.join(tmp, `out-${Math.random().toString(36).slice(2)}`), ...extra };
}

/** Run a command from the repository; `interruptAfter` sends SIGINT once that many checks have printed. */
/** Run a command; with `interruptWhen`, Ctrl-C (SIGINT) as soon as its output matches. */
function run(cmd: string, args: string[], extra: Record<string, string>, interruptWhen?: RegExp): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const onData = (d: Buffer) => {
      output += d;
      if (interruptWhen && !sent && interruptWhen.test(output)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

const report = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'compliance.json'), 'utf8')) as ComplianceReport;

describe("the user's files", { concurrency: true }, () => {
  test("a REPORT_DIR holding the user's files is refused before anything is written; html/ is not emptied", async () => {
    const dir = path.join(tmp, 'users');
    mkdirSync(path.join(dir, 'html'), { recursive: true });
    writeFileSync(path.join(dir, 'badge.svg'), 'my own badge');
    writeFileSync(path.join(dir, 'html', 'keep.txt'), 'mine');
    const r = await run(PLAYWRIGHT, ['test'], { REPORT_DIR: dir });
    assert.equal(r.code, 2, r.output.slice(-2000));
    assert.match(r.output, /REPORT_DIR .*users is not empty and is not an oai-compat report folder/);
    assert.equal(readFileSync(path.join(dir, 'badge.svg'), 'utf8'), 'my own badge');
    assert.equal(readFileSync(path.join(dir, 'html', 'keep.txt'), 'utf8'), 'mine');
    assert.ok(!existsSync(path.join(dir, 'compliance.json')));
  });

  test('REPORT_DIR=. in the repository is refused', async () => {
    const r = await run(PLAYWRIGHT, ['test'], { REPORT_DIR: '.' });
    assert.equal(r.code, 2, r.output.slice(-2000));
    assert.match(r.output, /REPORT_DIR \. \(.*\) is not empty and is not an oai-compat report folder/);
    assert.ok(!existsSync(path.join(REPO, 'compliance.json')));
  });
});

describe('partial and interrupted runs are marked', { concurrency: true }, () => {
  test('a run filtered with -g: partial in the JSON, the HTML and the console', async () => {
    const dir = path.join(tmp, 'grep');
    const r = await run(PLAYWRIGHT, ['test', '-g', 'core\\.object:'], { REPORT_DIR: dir });
    assert.equal(r.code, 0, r.output.slice(-2000));
    const partial = report(dir).partial;
    assert.deepEqual(partial && { ...partial, checksInSuite: partial.checksInSuite > 100 }, { checksInSuite: true, checksJudged: 1, reasons: ['--grep core\\.object:'], interrupted: false });
    assert.match(readFileSync(path.join(dir, 'compliance.html'), 'utf8'), /Partial run: 1 of \d+ checks judged/);
    assert.match(r.output, /partial run: 1 of \d+ checks judged/);
  });

  test('a run interrupted with Ctrl-C (oai-compat test): exit 130, the checks judged so far, marked interrupted', async () => {
    const dir = path.join(tmp, 'interrupted');
    // The embedded mock at a tenth of its speed, so that the run is still going when Ctrl-C comes, and
    // failing every check, so that a MUST has failed before it: the exit code is still 130.
    const r = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'test', '--report-dir', dir, '--model', 'mock-gpt'], { MOCK_SPEED: '10', MOCK_FAULT: 'status:500' }, /^ {2}\S FAIL /m);
    assert.equal(r.code, 130, r.output.slice(-3000));
    const written = report(dir);
    assert.equal(written.partial?.interrupted, true);
    assert.ok(written.partial!.checksJudged < written.partial!.checksInSuite);
    assert.ok(written.summary.FAIL > 0, 'a MUST failed before Ctrl-C');
    assert.match(readFileSync(path.join(dir, 'compliance.html'), 'utf8'), /Interrupted run: \d+ of \d+ checks judged/);
    assert.match(r.output, /interrupted: exit code 130/);
  });
});

test('the model is resolved once per run: without MODEL, one GET /models for every worker', async () => {
  const key = 'sk-oai-compat-model-once-000000000';
  const server = await startMockServer({ port: 0, requireKey: key, quiet: true });
  try {
    // Checks of several spec files over 3 workers; none of them lists models itself.
    const r = await run(PLAYWRIGHT, ['test', '-g', '(core\\.(object|id|messages)|stream\\.(framing|object)|vision\\.data-url|tools\\.named)'], { BASE_URL: `${server.url}/v1`, API_KEY: key, WORKERS: '3', REPORT_DIR: path.join(tmp, 'model-once') });
    assert.equal(r.code, 0, r.output.slice(-2000));
    const journal = (await (await fetch(`${server.url}/__mock/journal`)).json()) as { entries: { method: string; path: string }[] };
    const lists = journal.entries.filter((e) => e.method === 'GET' && /\/models$/.test(e.path));
    assert.ok(journal.entries.length > 5, `${journal.entries.length} requests`);
    assert.ok(new Set(report(path.join(tmp, 'model-once')).checks.map((c) => c.capability)).size >= 3, 'checks of several spec files, run by several workers');
    assert.equal(lists.length, 1, 'GET /models sent once, by the global setup');
  } finally {
    await server.close();
  }
});
