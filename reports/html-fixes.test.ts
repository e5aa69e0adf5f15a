// compliance.html as a reader needs it (issue 12): the banner names the warnings; skipped checks are
// explained where they are counted; a failed id in the banner lands below the sticky filter bar; the
// request and response appear once, unescaped; shared answers are not "0 ms"; a partial run says so;
// the target is the BASE_URL as given (never "(unknown)"); a 200,000-event stream stays small.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CheckResult } from '../lib/results.ts';
import { sampleReport, sampleResults } from '../test-support/sample-report.ts';
import { boundResult } from './bound.ts';
import { chromiumMissing, launchChromium } from '../test-support/chromium.ts';
import { buildReport } from './compliance.ts';
import { renderComplianceHtml } from './html.ts';
import type { ComplianceReport } from './model.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-html-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const TARGET = { baseUrl: 'https://llm.example.com/v1', model: 'm', profile: 'p.yaml', auth: 'bearer', mock: false };

function reportWith(extra: CheckResult[], over: Partial<ComplianceReport> = {}): ComplianceReport {
  return { ...buildReport({ results: [...sampleResults(), ...extra], target: TARGET, startedAt: new Date(0), durationMs: 1 }), ...over };
}

function skipped(id: string, level: CheckResult['level'], message: string): CheckResult {
  return { id, title: id, level, capability: 'reasoning', requirement: 'r', verdict: 'SKIP', message, durationMs: 1, rerun: `npx playwright test -g ${id}:`, fault: '' };
}

describe('compliance.html', () => {
  test('the banner names the WARN, KNOWN and IGNORED checks, with links', () => {
    const report = sampleReport();
    const html = renderComplianceHtml(report);
    const banner = html.slice(html.indexOf('verdict-line'), html.indexOf('class="levelline"'));
    for (const c of report.checks.filter((x) => x.verdict === 'WARN')) assert.ok(banner.includes(`href="#check-${c.id}"`), `${c.id} named in the banner`);
    assert.match(banner, /Also: \d+ WARN: /);
    assert.match(banner, /\d+ KNOWN: .*\d+ IGNORED: /s);
  });

  test('skipped checks are explained where they are counted', () => {
    const report = reportWith([
      skipped('reasoning.a', 'MUST', 'the model m did not reason (no reasoning_content or reasoning in the answer); set REASONING_MODEL (or reasoning-model in the profile) to a model that does'),
      skipped('reasoning.b', 'MUST', 'the model m did not reason (no reasoning_content or reasoning in the answer); set REASONING_MODEL (or reasoning-model in the profile) to a model that does'),
      skipped('reasoning.c', 'MUST', 'prerequisite failed: no reasoning text (see reasoning.a)'),
    ]);
    const html = renderComplianceHtml(report);
    const must = html.slice(html.indexOf('<div class="levels">'), html.indexOf('lvl-SHOULD'));
    assert.match(must, /3 skipped: 2 reasoning: no reasoning model, set REASONING_MODEL; 1 reasoning: prerequisite failed \(see reasoning\.a\)/);
  });

  test('the request and the response are shown once, and unescaped', () => {
    const html = renderComplianceHtml(sampleReport());
    const at = html.indexOf('id="check-stream.done-sentinel"');
    const fail = html.slice(at, html.indexOf('<details class="check', at));
    const message = fail.slice(fail.indexOf('<pre class="msg'), fail.indexOf('</pre>', fail.indexOf('<pre class="msg')));
    assert.ok(message.includes('the stream ended without data: [DONE]'));
    assert.ok(!message.includes('sent:') && !message.includes('got:'), message);
    assert.equal(fail.split('aria-label="response body"').length - 1, 1, 'one response body');
    assert.ok(!fail.includes('\\&quot;'), 'no escaped quotes in the evidence');
  });

  test('a check that judged a shared answer says so instead of "0 ms"', () => {
    const [first] = sampleResults();
    const shared: CheckResult = { ...first, id: 'core.shared', durationMs: 0, sharedExchanges: first.evidence!.exchanges.length };
    const html = renderComplianceHtml(reportWith([shared]));
    const summary = html.slice(html.indexOf('id="check-core.shared"'), html.indexOf('</summary>', html.indexOf('id="check-core.shared"')));
    assert.match(summary, /judged a shared answer/);
    assert.ok(!summary.includes('0 ms'));
  });

  test('a partial run says so at the top; the target is the BASE_URL as given', () => {
    const report = reportWith([], { partial: { checksInSuite: 160, checksJudged: 1, reasons: ['--grep core\\.object:'], interrupted: false }, target: { ...TARGET, baseUrl: 'localhost:8000/v1' } });
    const html = renderComplianceHtml(report);
    assert.match(html, /Partial run: 1 of 160 checks judged.*--grep core\\\.object:/s);
    assert.ok(html.includes('<code>localhost:8000/v1</code>'));
    assert.ok(!renderComplianceHtml(buildReport({ results: sampleResults(), startedAt: new Date(0), durationMs: 1 })).includes('(unknown)'));
  });

  test('a 200,000-event stream is a gap summary: a small page with the right figures', () => {
    const [first] = sampleResults();
    const gaps = Array.from({ length: 200_000 }, (_, i) => (i === 150_000 ? 900 : 2));
    const long: CheckResult = boundResult({ ...first, id: 'stream.long', evidence: { exchanges: [{ ...first.evidence!.exchanges[0], timings: { ttftMs: 5, totalMs: 400_000, gapsMs: gaps, events: 200_001 } }] } });
    const html = renderComplianceHtml(reportWith([long]));
    assert.ok(html.length < 1_500_000, `${html.length} characters`);
    const part = html.slice(html.indexOf('id="check-stream.long"'));
    assert.match(part, /max gap <b>900 ms<\/b>/);
    assert.match(part, /median gap <b>2 ms<\/b>/);
    assert.match(part, /largest gap of each \d+ consecutive events \(200000 gaps\)/);
  });
});

describe('compliance.html in chromium', { skip: chromiumMissing(), timeout: 60_000 }, () => {
  test('a failed id in the banner lands below the sticky filter bar, opened', async () => {
    const file = path.join(tmp, 'compliance.html');
    writeFileSync(file, renderComplianceHtml(sampleReport()));
    const browser = await launchChromium();
    try {
      for (const width of [1280, 700]) {
        const page = await browser.newPage({ viewport: { width, height: 700 } });
        await page.goto(`file://${file}`);
        // Scroll past the bar's natural place so that it sticks, then follow the banner's link.
        await page.mouse.wheel(0, 2000);
        await page.locator('.verdict-line a[href="#check-errors.shape"]').click();
        await page.waitForFunction(() => location.hash === '#check-errors.shape');
        await page.waitForTimeout(200);
        const bar = await page.locator('.filters').boundingBox();
        const check = await page.locator('[id="check-errors.shape"]').boundingBox();
        assert.ok(bar && check, 'both are on the page');
        assert.ok(check.y >= bar.y + bar.height - 1, `width ${width}: the check (top ${check.y}) is below the bar (bottom ${bar.y + bar.height})`);
        assert.ok(check.y < 700, 'and on screen');
        assert.equal(await page.locator('[id="check-errors.shape"]').getAttribute('open'), '');
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
