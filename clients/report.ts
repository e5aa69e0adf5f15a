// Writes the harness report: REPORT_DIR/clients.json and REPORT_DIR/clients.html (self-contained:
// a matrix of scenarios × clients, verdict colours, the diff on hover and on click; then the retry
// behaviour: per client a summary, and a matrix of retry scenarios × clients with attempts and waits).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Fixture } from '../lib/fixture-format.ts';
import type { ClientVerdict, HarnessReport, Result } from './harness.ts';
import type { RetryResult } from './retry.ts';

export function writeReports(report: HarnessReport, fixtures: Fixture[], dir: string): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'clients.json');
  const html = path.join(dir, 'clients.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderHtml(report, fixtures));
  return { json, html };
}

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLOURS: Record<ClientVerdict, string> = { PASS: '#1a7f37', FAIL: '#cf222e', KNOWN: '#9a6700', SKIP: '#6e7781' };

function cell(r: Result | undefined): string {
  if (!r) return '<td class="none">–</td>';
  const detail = [r.diff, r.reason ? `reason: ${r.reason}` : '', r.notCompared?.length ? `not compared (capability): ${r.notCompared.join(', ')}` : '', r.note ?? '']
    .filter(Boolean)
    .join('\n');
  const mark = r.notCompared?.length || r.note ? '*' : '';
  if (!detail) return `<td class="${r.verdict}">${r.verdict}</td>`;
  const output = r.output === undefined ? '' : `\n\nclient output:\n${JSON.stringify(r.output, null, 1)}`;
  return `<td class="${r.verdict}" title="${esc(detail)}"><details><summary>${r.verdict}${mark}</summary><pre>${esc(detail + output)}</pre></details></td>`;
}

function retryCell(r: RetryResult | undefined): string {
  if (!r) return '<td class="none">–</td>';
  if (r.verdict === 'SKIP') return `<td class="SKIP" title="${esc(r.reason ?? '')}">SKIP</td>`;
  const waits = r.waitsMs.length > 0 ? ` · waits ${r.waitsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}` : '';
  const text = `${r.attempts} attempt${r.attempts === 1 ? '' : 's'} · ${r.outcome.split(':')[0]}${waits}`;
  const detail = [`outcome: ${r.outcome}`, ...r.findings.map((f) => `finding: ${f}`)].join('\n');
  return `<td class="retry ${r.verdict}" title="${esc(detail)}">${esc(text)}${r.findings.length ? `<div class="finding">${esc(r.findings.join('; '))}</div>` : ''}</td>`;
}

function renderRetries(report: HarnessReport): string {
  if (report.retryScenarios.length === 0) return '';
  const clients = report.clients;
  const byKey = new Map(report.retries.map((r) => [`${r.client}\u0000${r.scenario}`, r]));
  const summaryRows = report.retrySummary
    .map(
      (r) =>
        `<tr><th class="scenario">${esc(r.client)}</th><td>${esc(r.retriesTransient)}</td><td>${esc(r.honoursRetryAfter)}</td><td>${esc(r.givesUp)}</td><td>${esc(r.retries400)}</td><td>${esc(r.droppedStream)}</td></tr>`,
    )
    .join('\n');
  const rows = report.retryScenarios
    .map(
      (s) =>
        `<tr><th class="scenario" title="${esc(`${s.title}\nfault: ${s.fault}, fixture: ${s.fixture}`)}">${esc(s.id)}<div class="muted">${esc(s.reference)}</div></th>${clients.map((c) => retryCell(byKey.get(`${c.name}\u0000${s.id}`))).join('')}</tr>`,
    )
    .join('\n');
  return `<h2>Retry behaviour</h2>
<p class="muted">Each client with its library's default retries (LangChain: 2, as applications set it) against a mock that is briefly unwell
(<code>x-mock-fault: fail-first:N:STATUS</code>, <code>drop-once-after:K</code>, one <code>x-mock-session</code> per cell; the mock's journal counts the attempts and their times).
The reference is the official SDK's documented behaviour: 2 retries on 408/409/429/5xx, <code>retry-after</code> honoured, backoff otherwise, no retry of a 400,
no retry of a stream that had started. Amber cells differ: findings about the client, not failures of the run.</p>
<table><thead><tr><th class="scenario">client</th><th>retries 429/5xx</th><th>honours retry-after</th><th>gives up (503 every time)</th><th>retries a 400</th><th>stream cut mid-way</th></tr></thead>
<tbody>
${summaryRows}
</tbody></table>
<p></p>
<table><thead><tr><th class="scenario">retry scenario (reference)</th>${clients.map((c) => `<th>${esc(c.name)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

export function renderHtml(report: HarnessReport, fixtures: Fixture[]): string {
  const byKey = new Map(report.results.map((r) => [`${r.client}\u0000${r.scenario}`, r]));
  const scenarios = [...new Set(report.results.map((r) => r.scenario))];
  const titles = new Map(fixtures.map((f) => [f.id, f.title]));
  const clients = report.clients;
  const perClient = (name: string, v: ClientVerdict) => report.results.filter((r) => r.client === name && r.verdict === v).length;

  const header = clients.map((c) => `<th title="${esc(`${c.description}\n${c.version}`)}">${esc(c.name)}</th>`).join('');
  const rows = scenarios
    .map(
      (s) =>
        `<tr><th class="scenario" title="${esc(titles.get(s) ?? '')}">${esc(s)}</th>${clients.map((c) => cell(byKey.get(`${c.name}\u0000${s}`))).join('')}</tr>`,
    )
    .join('\n');
  const totals = (['PASS', 'FAIL', 'KNOWN', 'SKIP'] as ClientVerdict[])
    .map((v) => `<tr><th class="scenario">${v}</th>${clients.map((c) => `<td class="total">${perClient(c.name, v)}</td>`).join('')}</tr>`)
    .join('\n');
  const clientRows = clients
    .map(
      (c) =>
        `<tr><td>${esc(c.name)}</td><td>${esc(c.language)}</td><td>${esc(c.version)}</td><td>${esc(c.description)}</td><td>${esc(c.capabilities.join(', '))}</td><td>${c.available ? `${(c.durationMs / 1000).toFixed(1)} s` : esc(`not run: ${c.skipped}`)}</td></tr>`,
    )
    .join('\n');
  const findings = report.results
    .filter((r) => r.verdict === 'FAIL' || r.verdict === 'KNOWN')
    .map(
      (r) =>
        `<li><span class="${r.verdict} tag">${r.verdict}</span> <b>${esc(r.client)}</b> × <code>${esc(r.scenario)}</code>${r.reason ? ` — ${esc(r.reason)}` : ''}<pre>${esc(r.diff)}</pre></li>`,
    )
    .join('\n');
  const s = report.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Client conformance</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:3px 8px;vertical-align:top}
th{background:#f6f8fa;font-weight:600;text-align:center}th.scenario{text-align:left;font-weight:500;white-space:nowrap}
td.PASS,td.FAIL,td.KNOWN,td.SKIP{color:#fff;font-weight:600;text-align:center;min-width:64px}
${(Object.keys(COLOURS) as ClientVerdict[]).map((v) => `td.${v},.${v}.tag{background:${COLOURS[v]}}`).join('\n')}
td.total{text-align:center}td.none{text-align:center;color:#6e7781}
td.retry{font-weight:400;font-size:12px;min-width:120px;text-align:left}td.retry.OK{background:#dafbe1;color:#1f2328}td.retry.FINDING{background:#fff1c2;color:#1f2328}
.finding{color:#9a6700;font-weight:600}th .muted{font-weight:400;font-size:12px}
td{position:relative}details summary{cursor:pointer;list-style:none}details summary::-webkit-details-marker{display:none}
details pre{position:absolute;z-index:2;left:0;top:100%;width:520px;white-space:pre-wrap;text-align:left;font-weight:400;font-size:12px;background:#fff;color:#1f2328;padding:8px;margin:2px 0 0;border:1px solid #d0d7de;border-radius:4px;box-shadow:0 4px 12px rgba(0,0,0,.15)}
td:nth-last-child(-n+3) details pre{left:auto;right:0}
.tag{color:#fff;padding:1px 6px;border-radius:3px;font-size:12px}
ul.findings pre{white-space:pre-wrap;background:#f6f8fa;padding:6px;margin:4px 0 10px;font-size:12px}
.muted{color:#6e7781}
</style></head><body>
<h1>Client conformance</h1>
<p class="muted">${esc(report.generatedAt)} · mock ${esc(report.baseUrl)} · ${s.PASS} PASS, ${s.FAIL} FAIL, ${s.KNOWN} KNOWN, ${s.SKIP} SKIP.
Each client is a real program run against the mock server; a cell compares what it assembled with the fixture's <code>expect</code>.
Hover or click a cell for the diff; <b>*</b> marks fields left out of the comparison (capability) or a stale waiver.</p>
<table><thead><tr><th class="scenario">scenario</th>${header}</tr></thead>
<tbody>
${rows}
</tbody><tfoot>
${totals}
</tfoot></table>
${renderRetries(report)}
<h2>Findings (FAIL and KNOWN)</h2>
${findings ? `<ul class="findings">${findings}</ul>` : '<p>none</p>'}
<h2>Clients</h2>
<table><thead><tr><th>name</th><th>language</th><th>version</th><th>what it does</th><th>capabilities</th><th>time</th></tr></thead>
<tbody>
${clientRows}
</tbody></table>
</body></html>
`;
}
