// compliance.html and compare.html in a real browser (Debian's chromium via playwright-core): the summary,
// the matrix and a FAIL's evidence render, the filters work, a hostile body runs no script, the CSP
// blocks nothing of ours. Takes the screenshot the README shows; `npm run docs:screenshot` writes it to
// docs/report-screenshot.png (a plain test run leaves tracked files alone).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sampleReport } from '../test-support/sample-report.ts';
import { chromiumMissing, launchChromium } from '../test-support/chromium.ts';
import { renderCompareHtml } from './compare.ts';
import { levelLine, tallyByLevel } from './summary.ts';
import { writeAll } from './write.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skip = chromiumMissing();
const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-browser-'));
const SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1' ? path.join(REPO, 'docs', 'report-screenshot.png') : path.join(tmp, 'report-screenshot.png');
const report = sampleReport();
const problems = report.summary.FAIL + report.summary.WARN + report.summary.KNOWN + report.summary.IGNORED;

describe('reports in chromium', { skip, timeout: 60_000 }, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    writeAll(report, tmp);
    writeFileSync(
      path.join(tmp, 'compare.html'),
      renderCompareHtml([
        { source: 'a.json', report },
        { source: 'b.json', report: sampleReport({ target: { baseUrl: 'http://localhost:8000/v1', model: 'other' }, verdicts: { 'stream.done-sentinel': 'PASS' } }) },
      ]),
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    // A CSP violation (our own script or style blocked) is reported as a console error.
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console: ${m.text()}`);
    });
    await page.goto(`file://${path.join(tmp, 'compliance.html')}`);
  });

  after(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('summary first: the headline and the level line', async () => {
    await assert.doesNotReject(page.getByRole('heading', { name: 'Compliance report' }).waitFor());
    assert.ok(await page.getByText('Not compatible: 3 of 16 MUST requirements do not hold').isVisible());
    const line = await page.locator('.levelline').innerText();
    assert.ok(line.startsWith(levelLine(tallyByLevel(report.checks))), line);
    const first = await page.locator('section').first().getAttribute('aria-labelledby');
    assert.equal(first, 'h-summary');
  });

  test('the matrix shows a square per check and a row per capability', async () => {
    assert.equal(await page.locator('.matrix .cell').count(), report.checks.length);
    assert.equal(await page.locator('.matrix tr.caprow').count(), Object.keys(report.summary.byCapability).length);
    assert.ok(await page.locator('.matrix .cell.v-FAIL').first().isVisible());
  });

  test("a FAIL's evidence is expanded: message, requirement, request, response, timings, re-run", async () => {
    const fail = page.locator('[id="check-stream.done-sentinel"]');
    assert.equal(await fail.getAttribute('open'), '');
    const ev = fail.locator('.ev');
    assert.ok(await ev.isVisible());
    const text = await ev.innerText();
    for (const needle of ['the stream ended without data: [DONE]', 'A stream "must end with the event data: [DONE]".', 'POST https://llm.example.com/v1/chat/completions', 'data: {"id":"chatcmpl-sample123"', 'first token', 'npx playwright test -g "stream.done-sentinel:"']) {
      assert.ok(text.includes(needle), needle);
    }
    assert.ok(await ev.locator('svg.chart').first().isVisible(), 'gap chart');
  });

  test('any check opens on click', async () => {
    const pass = page.locator('[id="check-core.content-type-json"]');
    assert.equal(await pass.getAttribute('open'), null);
    await pass.locator(':scope > summary').click();
    assert.ok(await pass.locator('.ev blockquote').isVisible());
  });

  test('the hostile body ran no script and broke no markup', async () => {
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img').count(), 0);
    const errorsCheck = page.locator('[id="check-errors.shape"]');
    assert.ok((await errorsCheck.locator('.msg').innerText()).includes('<script>window.__pwned=3</script>'));
  });

  test('filters: by verdict, by capability, by text; a matrix square reveals a hidden check', async () => {
    const shown = page.locator('[data-shown]');
    const total = report.checks.length;
    await page.getByRole('button', { name: 'Problems only' }).click();
    assert.equal(await shown.innerText(), `${problems} of ${total} checks shown`);
    assert.ok(!(await page.locator('[id="check-core.content-type-json"]').isVisible()), 'PASS hidden');
    assert.ok(await page.locator('[id="check-stream.done-sentinel"]').isVisible(), 'FAIL shown');
    assert.equal(await page.locator('[data-filter-verdict="PASS"]').getAttribute('aria-pressed'), 'false');

    await page.locator('select[data-filter="capability"]').selectOption('tools');
    assert.equal(await shown.innerText(), `1 of ${total} checks shown`);
    await page.getByRole('button', { name: 'All verdicts' }).click();
    assert.equal(await shown.innerText(), `${report.checks.filter((c) => c.capability === 'tools').length} of ${total} checks shown`);
    await page.locator('select[data-filter="capability"]').selectOption('');

    await page.locator('[data-filter-verdict="FAIL"]').click();
    assert.equal(await shown.innerText(), `${total - report.summary.FAIL} of ${total} checks shown`);
    await page.locator('[data-filter-verdict="FAIL"]').click();

    await page.locator('input[data-filter="q"]').fill('done-sentinel');
    assert.equal(await shown.innerText(), `1 of ${total} checks shown`);
    await page.locator('input[data-filter="q"]').fill('');
    assert.equal(await shown.innerText(), `${total} of ${total} checks shown`);

    // Hide every PASS, then follow the matrix square of a PASS: the filters reset and it opens.
    await page.locator('[data-filter-verdict="PASS"]').click();
    await page.locator('.matrix a[href="#check-models.list"]').click();
    const target = page.locator('[id="check-models.list"]');
    await target.waitFor({ state: 'visible' });
    assert.equal(await target.getAttribute('open'), '');
    assert.equal(await shown.innerText(), `${total} of ${total} checks shown`);
  });

  test('screenshot for the README', async () => {
    await page.goto(`file://${path.join(tmp, 'compliance.html')}`);
    const box = await page.locator('section[aria-labelledby="h-matrix"]').boundingBox();
    assert.ok(box);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(box.y + box.height + 24) }, fullPage: true });
  });

  test('compare.html: differing rows highlighted, the filter keeps only them', async () => {
    await page.goto(`file://${path.join(tmp, 'compare.html')}`);
    assert.equal(await page.locator('tr.f.diff').count(), 1);
    await page.getByLabel('Only rows that differ').check();
    assert.equal(await page.locator('[data-shown]').innerText(), `1 of ${report.checks.length} checks shown`);
    assert.ok(await page.locator('[id="row-stream.done-sentinel"]').isVisible());
  });

  test('no script errors, no CSP violations', () => {
    assert.deepEqual(errors, []);
  });
});
