// Rendering tests from sample reports: compliance.html, junit.xml, badge.svg, compare.html, the CLI
// and the reporter fed with Playwright-shaped results. No suite run here (see suite.test.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { zipSync } from 'fflate';
import { VERDICTS } from '../lib/results.ts';
import { findLeaks } from '../test-support/leak-scan.ts';
import { HOSTILE_BODY, SAMPLE_IDS, sampleReport, sampleResults } from '../test-support/sample-report.ts';
import { findAll, parseXml, textOf, XmlError } from '../test-support/xml-check.ts';
import { readZip } from '../test-support/zip-read.ts';
import { badgeInfo, BADGE_COLORS, renderBadge, textWidth } from './badge.ts';
import { main as cli } from './cli.ts';
import { compareRows, renderCompareHtml } from './compare.ts';
import { buildReport } from './compliance.ts';
import { escapeHtml, escapeXml } from './escape.ts';
import { rerunCommand } from './evidence-html.ts';
import { renderComplianceHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, type ComplianceReport } from './model.ts';
import ComplianceReporter from './reporter.ts';
import { levelLine, levelReached, tallyByLevel } from './summary.ts';
import { REPORT_FILES, writeAll } from './write.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-render-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const report = sampleReport();

/** Every `<tag` occurrence, case-insensitively, without regexes over the whole document. */
function countTag(html: string, tag: string): number {
  const lower = html.toLowerCase();
  let n = 0;
  for (let i = lower.indexOf(`<${tag}`); i >= 0; i = lower.indexOf(`<${tag}`, i + 1)) n++;
  return n;
}

describe('sample report', () => {
  test('covers every verdict, several capabilities, streamed evidence and metrics', () => {
    for (const v of VERDICTS) assert.ok(report.summary[v] > 0, `sample has no ${v}`);
    assert.ok(Object.keys(report.summary.byCapability).length >= 10);
    assert.ok(report.checks.some((c) => c.evidence?.exchanges.some((x) => x.response?.body.startsWith('data: '))));
    assert.ok(report.checks.some((c) => c.metrics && c.evidence?.exchanges[0]?.timings?.gapsMs?.length));
  });
});

describe('escaping', () => {
  test('escapeHtml escapes markup and quotes', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(escapeHtml(undefined), '');
  });
  test('escapeXml keeps XML 1.0 well-formed and loses nothing', () => {
    const hostile = `a<b>&"'\u0000\u0001\u001b\uFFFE\ud800z\ud83d\ude00\n\t\r`;
    const text = escapeXml(hostile);
    assert.equal(text, 'a&lt;b&gt;&amp;&quot;&apos;\\u0000\\u0001\\u001B\\uFFFE\\uD800z\ud83d\ude00\n\t&#13;');
    const attr = escapeXml('x\ny\tz', true);
    assert.equal(attr, 'x&#10;y&#9;z');
    parseXml(`<r a="${escapeXml(hostile, true)}">${text}</r>`);
  });
});

describe('compliance.html', () => {
  const html = renderComplianceHtml(report);

  test('starts with the summary: the level line, per level and per capability', () => {
    const byLevel = tallyByLevel(report.checks);
    const line = levelLine(byLevel);
    assert.equal(line, `MUST ${byLevel.MUST.passed}/${byLevel.MUST.total} · SHOULD ${byLevel.SHOULD.passed}/${byLevel.SHOULD.total} · MAY ${byLevel.MAY.passed}/${byLevel.MAY.total}`);
    assert.equal(line, `MUST ${report.summary.byLevel.MUST.passed}/${report.summary.byLevel.MUST.total} · SHOULD ${report.summary.byLevel.SHOULD.passed}/${report.summary.byLevel.SHOULD.total} · MAY ${report.summary.byLevel.MAY.passed}/${report.summary.byLevel.MAY.total}`);
    const summaryAt = html.indexOf('id="h-summary"');
    assert.ok(summaryAt > 0 && html.indexOf(line) > summaryAt && html.indexOf(line) < html.indexOf('id="h-matrix"'), 'level line in the summary, before the matrix');
    assert.ok(html.includes('Not compatible: 3 of 16 MUST requirements do not hold'));
    for (const cap of Object.keys(report.summary.byCapability)) assert.ok(html.includes(`data-capability="${cap}"`), cap);
    assert.ok(html.includes('MUST 2/3 · SHOULD 1/1 · MAY 1/1'), 'per-capability tally (streaming)');
  });

  test('shows every check id, in the matrix and with its evidence', () => {
    for (const id of SAMPLE_IDS) {
      assert.ok(html.includes(`id="check-${id}"`), `details for ${id}`);
      assert.ok(html.includes(`href="#check-${id}"`), `matrix cell for ${id}`);
    }
  });

  test('FAIL details are open, with message, requirement, request, response, timings and re-run', () => {
    const at = html.indexOf('id="check-stream.done-sentinel"');
    const block = html.slice(html.lastIndexOf('<details', at), html.indexOf('<details class="check', at));
    assert.ok(block.includes(' open>'));
    assert.ok(block.includes('the stream ended without data: [DONE]'));
    assert.ok(block.includes('A stream &quot;must end with the event data: [DONE]&quot;.'));
    assert.ok(block.includes('POST https://llm.example.com/v1/chat/completions'));
    assert.ok(block.includes('data: {&quot;id&quot;:&quot;chatcmpl-sample123&quot;'));
    assert.ok(block.includes('first token <b>'));
    assert.ok(block.includes('<svg class="chart"'));
    assert.ok(block.includes('npx playwright test -g &quot;stream.done-sentinel:&quot;'));
    // A PASS is closed but still carries its evidence.
    const pass = html.slice(html.indexOf('id="check-core.content-type-json"') - 100, html.indexOf('id="check-core.content-type-json"') + 200);
    assert.ok(!pass.includes(' open>'));
  });

  test('a hostile body cannot inject markup; one script, ours, allowed by hash', () => {
    assert.ok(report.checks.some((c) => c.evidence?.exchanges.some((x) => x.response?.body === HOSTILE_BODY)));
    assert.equal(countTag(html, 'script'), 1, 'only our own <script>');
    assert.equal(countTag(html, 'img'), 0);
    assert.ok(!html.includes('window.__pwned=1</script>'));
    assert.ok(html.includes('&lt;/pre&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt;'));
    assert.ok(html.includes('&quot;&gt;&lt;script&gt;window.__pwned=4&lt;/script&gt;'), 'hostile header value escaped');
    assert.ok(html.includes('script-src &#39;sha256-'));
    assert.ok(html.includes('default-src &#39;none&#39;'));
  });

  test('is self-contained: no external resources', () => {
    for (const needle of ['<link', '@import', 'src="http', "src='http", 'url(http', '//fonts.', 'cdn']) {
      assert.ok(!html.toLowerCase().includes(needle.toLowerCase()), needle);
    }
    assert.equal(countTag(html, 'iframe'), 0);
    // The only http(s) URLs are the target's, as text.
    assert.ok(!html.includes('href="http'));
  });

  test('control characters and CR in bodies are shown, not swallowed', () => {
    assert.ok(html.includes('<span class="ctl" title="carriage return (CR)">␍</span>'));
    assert.ok(html.includes('title="control character U+0000">␀</span>'), 'NUL in a message');
    assert.ok(html.includes('title="control character U+001B">␛</span>[31m'), 'ESC in a message');
  });

  test('re-run command carries the target for a real endpoint, never a key', () => {
    const c = report.checks[0];
    assert.equal(rerunCommand(c, report), `BASE_URL=https://llm.example.com/v1 MODEL=sample-model PROFILE=suites/profiles/sample.yaml API_KEY="$API_KEY" ${c.rerun}`);
    const mock = sampleReport({ target: { mock: true, baseUrl: 'http://127.0.0.1:4010/v1' } });
    assert.equal(rerunCommand(mock.checks[0], mock), mock.checks[0].rerun);
  });

  test('all-pass report says compatible and reached level', () => {
    const ok = sampleReport({ verdicts: Object.fromEntries(SAMPLE_IDS.map((id) => [id, 'PASS'])) });
    const h = renderComplianceHtml(ok);
    assert.equal(levelReached(tallyByLevel(ok.checks)), 'MAY');
    assert.ok(h.includes('Fully compatible: every requirement holds'));
  });

  test('an empty report renders', () => {
    const empty = buildReport({ results: [], startedAt: new Date(0), durationMs: 0 });
    const h = renderComplianceHtml(empty);
    assert.ok(h.includes('No MUST requirement was judged'));
    assert.equal(renderBadge(empty).includes('MUST n/a'), true);
    parseXml(renderJunit(empty));
  });
});

describe('junit.xml', () => {
  const xml = renderJunit(report);
  const root = parseXml(xml);

  test('is well-formed XML; one testcase per check, grouped by capability', () => {
    assert.equal(root.name, 'testsuites');
    const cases = findAll(root, 'testcase');
    assert.equal(cases.length, report.checks.length);
    assert.equal(Number(root.attrs.tests), report.checks.length);
    for (const c of report.checks) {
      const tc = cases.find((x) => x.attrs.name === `${c.id}: ${c.title}`);
      assert.ok(tc, c.id);
      assert.equal(tc.attrs.classname, c.capability);
    }
    const suites = findAll(root, 'testsuite');
    assert.equal(suites.length, Object.keys(report.summary.byCapability).length);
    for (const s of suites) assert.equal(Number(s.attrs.tests), findAll(s, 'testcase').length);
  });

  test('FAIL is a failure, SKIP and UNSUPPORTED are skipped, counts match', () => {
    const failures = findAll(root, 'failure');
    const skipped = findAll(root, 'skipped');
    assert.equal(failures.length, report.summary.FAIL);
    assert.equal(skipped.length, report.summary.SKIP + report.summary.UNSUPPORTED);
    assert.equal(Number(root.attrs.failures), report.summary.FAIL);
    assert.equal(Number(root.attrs.skipped), report.summary.SKIP + report.summary.UNSUPPORTED);
    assert.equal(Number(root.attrs.errors), 0);
    const hostile = failures.find((f) => f.attrs.message.includes('__pwned=3'));
    assert.ok(hostile, 'the hostile message survives, escaped');
    assert.ok(textOf(hostile).includes('\\u0000\\u001B[31m\\uD800'), 'control characters shown, not dropped');
  });

  test('WARN and KNOWN are visible as properties and in system-out', () => {
    for (const verdict of ['WARN', 'KNOWN', 'IGNORED', 'INFO'] as const) {
      const c = report.checks.find((x) => x.verdict === verdict)!;
      const tc = findAll(root, 'testcase').find((x) => x.attrs.name.startsWith(`${c.id}:`))!;
      const props = Object.fromEntries(findAll(tc, 'property').map((p) => [p.attrs.name, p.attrs.value]));
      assert.equal(props.verdict, verdict);
      assert.equal(props.level, c.level);
      assert.ok(textOf(findAll(tc, 'system-out')[0]).includes(`verdict: ${verdict}`));
      assert.equal(findAll(tc, 'failure').length, 0);
    }
  });

  test('the checker rejects what is not well-formed', () => {
    for (const bad of ['<a>', '<a></b>', '<a x=1/>', '<a x="1" x="2"/>', '<a>&foo;</a>', '<a>\u0001</a>', '<a/><b/>', '<a><!-- -- --></a>', '<a>]]></a>', '<a/>x', '<a x="<"/>', '<a>&#0;</a>', '<a>\ud800</a>']) {
      assert.throws(() => parseXml(bad), XmlError, bad);
    }
  });
});

describe('badge.svg', () => {
  test('says "OpenAI-compatible | MUST n%", red when a MUST fails', () => {
    const svg = renderBadge(report);
    parseXml(svg);
    assert.ok(svg.includes('>OpenAI-compatible</text>'));
    const must = tallyByLevel(report.checks).MUST;
    assert.ok(svg.includes(`>MUST ${Math.floor((must.passed / must.total) * 100)}%</text>`));
    assert.ok(svg.includes(`fill="${BADGE_COLORS.red}"`));
    assert.ok(svg.includes('aria-label="OpenAI-compatible: MUST 81%"'));
  });

  test('colour by MUST pass rate', () => {
    const ids = report.checks.filter((c) => c.level === 'MUST').map((c) => c.id);
    const allPass = sampleReport({ verdicts: Object.fromEntries(ids.map((id) => [id, 'PASS'])) });
    assert.deepEqual(badgeInfo(allPass), { label: 'OpenAI-compatible', message: 'MUST 100%', color: BADGE_COLORS.brightgreen });
    // A lenient MUST (WARN) or an expected failure lowers the rate without turning it red.
    const lenient = sampleReport({ verdicts: { ...Object.fromEntries(ids.map((id) => [id, 'PASS'])), [ids[0]]: 'WARN' } });
    assert.equal(badgeInfo(lenient).color, BADGE_COLORS.yellow);
    assert.equal(badgeInfo(lenient).message, `MUST ${Math.floor(((ids.length - 1) / ids.length) * 100)}%`);
    const known = sampleReport({ verdicts: { ...Object.fromEntries(ids.map((id) => [id, 'KNOWN'])), [ids[0]]: 'PASS' } });
    assert.equal(badgeInfo(known).color, BADGE_COLORS.orange);
    // 199/200 is never rounded up to 100%.
    const many = buildReport({
      results: Array.from({ length: 200 }, (_, i) => ({ ...sampleResults()[0], id: `x.${i}`, verdict: i === 0 ? ('WARN' as const) : ('PASS' as const) })),
      startedAt: new Date(0),
      durationMs: 1,
    });
    assert.equal(badgeInfo(many).message, 'MUST 99%');
  });

  test('widths follow the text', () => {
    assert.ok(textWidth('MUST 100%') > textWidth('MUST 9%'));
    assert.ok(Math.abs(textWidth('OpenAI-compatible') - 106) < 8);
  });
});

describe('compare.html', () => {
  const a = sampleReport();
  const b = sampleReport({
    target: { baseUrl: 'http://localhost:8000/v1', model: 'other-model', profile: 'suites/profiles/vllm.yaml' },
    verdicts: { 'stream.done-sentinel': 'PASS', 'vision.data-url': 'PASS', 'n.two-choices': 'PASS' },
    omit: ['auth.wrong-key'],
  });
  const html = renderCompareHtml([
    { source: 'a/compliance.json', report: a },
    { source: 'b/compliance.json', report: b },
  ]);

  test('rows are checks, columns endpoints; differing rows are marked', () => {
    const rows = compareRows([a, b]);
    assert.equal(rows.length, SAMPLE_IDS.length);
    const differing = rows.filter((r) => r.differs).map((r) => r.id).sort();
    assert.deepEqual(differing, ['auth.wrong-key', 'n.two-choices', 'stream.done-sentinel', 'vision.data-url']);
    for (const id of SAMPLE_IDS) assert.ok(html.includes(`id="row-${id}"`), id);
    assert.equal(html.split('class="f diff"').length - 1, 4);
    assert.ok(html.includes('<strong>4</strong> with differing verdicts'));
    assert.ok(html.includes('llm.example.com/v1') && html.includes('localhost:8000/v1') && html.includes('other-model') && html.includes('>vllm<'));
    assert.ok(html.includes('title="not in this report">—'));
  });

  test('self-contained and escaped', () => {
    assert.equal(countTag(html, 'script'), 1);
    assert.ok(!html.includes('<script>window.__pwned'));
    assert.ok(!html.toLowerCase().includes('<link'));
  });
});

describe('cli', () => {
  test('render re-renders every output from compliance.json; compare writes compare.html', () => {
    const dirA = path.join(tmp, 'a');
    const dirB = path.join(tmp, 'b');
    writeAll(sampleReport(), dirA);
    writeAll(sampleReport({ verdicts: { 'errors.shape': 'PASS' } }), dirB);
    const out = path.join(tmp, 'rerendered');
    const stdout = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      assert.equal(cli(['render', path.join(dirA, 'compliance.json'), '--out', out]), 0);
      assert.equal(cli(['compare', path.join(dirA, 'compliance.json'), path.join(dirB, 'compliance.json'), '--out', path.join(tmp, 'cmp')]), 0);
    } finally {
      process.stdout.write = stdout;
    }
    for (const f of REPORT_FILES) assert.ok(existsSync(path.join(out, f)), f);
    assert.equal(readFileSync(path.join(out, 'compliance.html'), 'utf8'), readFileSync(path.join(dirA, 'compliance.html'), 'utf8'));
    assert.ok(readFileSync(path.join(tmp, 'cmp', 'compare.html'), 'utf8').includes('<strong>1</strong> with differing verdicts'));
    assert.throws(() => cli(['compare', path.join(dirA, 'compliance.json')]), /at least two/);
    assert.throws(() => cli(['render', path.join(tmp, 'missing.json')]), /not a readable JSON file/);
  });
});

describe('reporter', () => {
  test('builds every output from annotations; a check without a result still gets a row', () => {
    const dir = path.join(tmp, 'reporter');
    const reporter = new ComplianceReporter({ outputDir: dir, console: false });
    const target = { baseUrl: 'http://127.0.0.1:1/v1', model: 'mock', profile: 'default', auth: 'bearer', mock: true };
    const results = sampleResults().slice(0, 5);
    for (const r of results) {
      const annotations = [
        { type: RESULT_ANNOTATION, description: JSON.stringify(r) },
        { type: TARGET_ANNOTATION, description: JSON.stringify(target) },
      ];
      reporter.onTestEnd({ title: `${r.id}: ${r.title}`, tags: [`@${r.level}`, `@${r.capability}`], annotations: [] } as never, { annotations, status: 'passed', duration: 1, errors: [] } as never);
    }
    // A test that timed out before recording its result, and one that is not a check at all.
    reporter.onTestEnd(
      { title: 'stream.slow: A slow check', tags: ['@MUST', '@streaming'], annotations: [] } as never,
      { annotations: [], status: 'timedOut', duration: 5000, errors: [{ message: 'Test timeout of 5000ms exceeded. key sk-abcdefghijklmnop' }] } as never,
    );
    reporter.onTestEnd({ title: 'some helper test', tags: [], annotations: [] } as never, { annotations: [], status: 'passed', duration: 1, errors: [] } as never);
    reporter.onEnd({ status: 'passed', startTime: new Date('2025-01-01T00:00:00Z'), duration: 1234 } as never);
    for (const f of REPORT_FILES) assert.ok(existsSync(path.join(dir, f)), f);
    const written = JSON.parse(readFileSync(path.join(dir, 'compliance.json'), 'utf8')) as ComplianceReport;
    assert.equal(written.checks.length, 6);
    assert.deepEqual(written.target, target);
    const slow = written.checks.find((c) => c.id === 'stream.slow')!;
    assert.equal(slow.verdict, 'FAIL');
    assert.equal(slow.capability, 'streaming');
    assert.ok(slow.message.includes('timedOut') && !slow.message.includes('sk-abcdefghijklmnop'));
    parseXml(readFileSync(path.join(dir, 'junit.xml'), 'utf8'));
  });
});

describe('secret scanner (used by the suite secrets test)', () => {
  const secret = 'sk-canary-0123456789abcdef';
  test('finds a secret in plain text and base64 at every alignment', () => {
    assert.deepEqual(findLeaks('clean.txt', Buffer.from('nothing here, sk-canary-other'), [secret]), []);
    assert.equal(findLeaks('a.txt', Buffer.from(`x ${secret} y`), [secret]).length, 1);
    for (const prefix of ['', 'a', 'ab', 'Authorization: Bearer ']) {
      const b64 = Buffer.from(`${prefix}${secret}"}`).toString('base64');
      assert.ok(findLeaks('b.txt', Buffer.from(`data:${b64}`), [secret]).length > 0, `prefix ${JSON.stringify(prefix)}`);
      assert.ok(findLeaks('c.txt', Buffer.from(b64.replaceAll('+', '-').replaceAll('/', '_')), [secret]).length > 0);
    }
  });
  test('looks inside zips and inside the zip an HTML report embeds', () => {
    const zip = Buffer.from(zipSync({ 'report.jsonl': Buffer.from(`{"key":"${secret}"}`), 'ok.txt': Buffer.from('fine') }));
    assert.deepEqual(readZip(zip).map((e) => e.name), ['report.jsonl', 'ok.txt']);
    assert.deepEqual(findLeaks('blob.zip', zip, [secret]), ['blob.zip!report.jsonl: contains the secret sk-canary-01…']);
    const html = `<html><template id="playwrightReportBase64">data:application/zip;base64,${zip.toString('base64')}</template></html>`;
    assert.ok(findLeaks('html/index.html', Buffer.from(html), [secret]).some((l) => l.startsWith('html/index.html!report.jsonl')));
  });
});

describe('.github/workflows/conformance.yml', () => {
  test('manual and scheduled only, guarded, sharded in two, merged with our reporter', async () => {
    const { parse } = await import('yaml');
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '.github', 'workflows', 'conformance.yml');
    const wf = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    assert.deepEqual(Object.keys(wf.on).sort(), ['schedule', 'workflow_dispatch']);
    for (const job of Object.values(wf.jobs) as { if?: string }[]) assert.ok(String(job.if).includes("vars.OAI_COMPAT_BASE_URL != ''"), 'every job guarded');
    assert.deepEqual(wf.jobs.suite.strategy.matrix.shardIndex, [1, 2]);
    const steps = JSON.stringify(wf.jobs);
    // Our reporter first, so that FAIL verdicts are failed tests in the blob and the shard's exit code.
    assert.ok(steps.includes('--reporter=./reports/reporter.ts,blob'));
    assert.ok(steps.includes('merge-reports --config reports/merge.config.ts'));
    assert.ok(steps.includes('secrets.OAI_COMPAT_API_KEY'));
    // The key goes to the suite step only.
    assert.equal(steps.split('secrets.').length - 1, 1);
    assert.ok(!JSON.stringify(wf.env ?? {}).includes('secrets.'));
  });
});
