// compare.html: several compliance reports side by side. Endpoints are columns, checks are rows,
// rows whose verdicts differ are highlighted. Self-contained like compliance.html.
import type { CheckResult, Level, Verdict } from '../lib/results.ts';
import { anchorId, escapeHtml as e } from './escape.ts';
import type { ComplianceReport } from './model.ts';
import { capabilities, levelLine, tallyByLevel } from './summary.ts';
import { formatMs, LEVELS, page, VERDICT_META, VERDICT_ORDER, verdictPill } from './theme.ts';
import { badgeInfo } from './badge.ts';

export interface NamedReport {
  /** where it came from (a file path), shown under the endpoint */
  source: string;
  report: ComplianceReport;
}

interface Row {
  id: string;
  title: string;
  level: Level;
  capability: string;
  cells: (CheckResult | undefined)[];
  differs: boolean;
}

export function compareRows(reports: ComplianceReport[]): Row[] {
  const byId = new Map<string, Row>();
  reports.forEach((r, i) => {
    for (const c of r.checks) {
      let row = byId.get(c.id);
      if (!row) {
        row = { id: c.id, title: c.title, level: c.level, capability: c.capability, cells: reports.map(() => undefined), differs: false };
        byId.set(c.id, row);
      }
      row.cells[i] = c;
    }
  });
  const rows = [...byId.values()];
  for (const row of rows) row.differs = new Set(row.cells.map((c) => c?.verdict ?? '-')).size > 1;
  return rows;
}

export function renderCompareHtml(inputs: NamedReport[]): string {
  const reports = inputs.map((i) => i.report);
  const rows = compareRows(reports);
  const caps = capabilities({ checks: rows });
  const differing = rows.filter((r) => r.differs).length;
  const head = inputs
    .map((inp, i) => {
      const t = inp.report.target;
      return `<th scope="col" class="ep"><div class="muted">#${i + 1}</div><div class="epname">${e(shortUrl(t.baseUrl))}</div><div>${e(t.model)}</div><div class="muted" style="font-weight:400">${e(profileName(t.profile))}</div></th>`;
    })
    .join('');
  const summaryRows: [string, (r: ComplianceReport, i: number) => string][] = [
    ['Base URL', (r) => `<code>${e(r.target.baseUrl)}</code>`],
    ['Model', (r) => e(r.target.model)],
    ['Profile', (r) => e(r.target.profile)],
    ['Run', (r) => `${e(r.startedAt.slice(0, 19).replace('T', ' '))} UTC · ${e(formatMs(r.durationMs))}`],
    ['Levels', (r) => `<strong>${e(levelLine(tallyByLevel(r.checks)))}</strong>`],
    ['Badge', (r) => { const b = badgeInfo(r); return `<span class="pill" style="background:${e(b.color)};color:#fff">${e(b.message)}</span>`; }],
    ['Verdicts', (r) => `<div class="chips">${VERDICT_ORDER.filter((v) => r.summary[v] > 0).map((v) => `${verdictPill(v)}<span class="muted">${r.summary[v]}</span>`).join(' ')}</div>`],
    ['Source', (_r, i) => `<code>${e(inputs[i].source)}</code>`],
  ];
  const summary = `<div class="scroll"><table><thead><tr><th scope="col"></th>${head}</tr></thead><tbody>${summaryRows
    .map(([name, f]) => `<tr><th scope="row">${e(name)}</th>${reports.map((r, i) => `<td>${f(r, i)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;

  const body = caps
    .map((cap) => {
      const inCap = rows
        .filter((r) => r.capability === cap)
        .sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || a.id.localeCompare(b.id));
      const groupRow = `<tr class="grp" data-capability="${e(cap)}"><th scope="colgroup" colspan="${reports.length + 2}" style="background:var(--soft);color:var(--text)">${e(cap)} <span class="muted" style="font-weight:400">${inCap.filter((r) => r.differs).length} of ${inCap.length} differ</span></th></tr>`;
      return groupRow + inCap.map((r) => rowHtml(r)).join('');
    })
    .join('\n');

  const verdictOptions = VERDICT_ORDER.map((v) => `<option value="${v}">${v}</option>`).join('');
  const html = `<div class="wrap">
<header class="top"><div><div class="brand">oai-compat · OpenAI-compatible Chat Completions</div><h1>Endpoint comparison</h1>
<div class="sub">${reports.length} endpoints · ${rows.length} checks · <strong>${differing}</strong> with differing verdicts</div></div></header>
<section aria-labelledby="h-eps"><h2 id="h-eps">Endpoints</h2>${summary}</section>
<nav class="filters" aria-label="Filter checks">
<label><input type="checkbox" data-filter="diff"> Only rows that differ</label>
<label>Capability <select data-filter="capability"><option value="">all</option>${caps.map((c) => `<option value="${e(c)}">${e(c)}</option>`).join('')}</select></label>
<label>Level <select data-filter="level"><option value="">all</option>${LEVELS.map((l) => `<option>${l}</option>`).join('')}</select></label>
<label>Any endpoint has <select data-filter="verdict"><option value="">any verdict</option>${verdictOptions}</select></label>
<label>Search <input type="search" data-filter="q" placeholder="id or title"></label>
<span class="spacer"></span><span class="shown" aria-live="polite" data-shown>${rows.length} of ${rows.length} checks shown</span>
</nav>
<section aria-labelledby="h-cmp"><h2 id="h-cmp">Checks</h2>
<p class="muted" style="margin-top:-6px">Highlighted rows have different verdicts across endpoints. Hover a verdict for its message; "—" means the check is not in that report.</p>
<div class="scroll"><table class="cmp"><thead><tr><th scope="col">Check</th><th scope="col">Level</th>${head}</tr></thead>
<tbody>${body}</tbody></table></div></section>
<section aria-labelledby="h-legend"><h2 id="h-legend">Verdicts</h2><table><tbody>${VERDICT_ORDER.map((v: Verdict) => `<tr><td>${verdictPill(v)}</td><td>${e(VERDICT_META[v].meaning)}</td></tr>`).join('')}</tbody></table></section>
<footer>Generated by oai-compat · self-contained, no network requests.</footer>
</div>`;
  return page({ title: `oai-compat: comparison of ${reports.length} endpoints`, body: html, script: SCRIPT });
}

function rowHtml(r: Row): string {
  const verdicts = [...new Set(r.cells.map((c) => c?.verdict).filter(Boolean))].join(' ');
  const cells = r.cells
    .map((c) =>
      c
        ? `<td class="vc" title="${e(firstLines(c.message))}">${verdictPill(c.verdict)}</td>`
        : '<td class="vc muted" title="not in this report">—</td>',
    )
    .join('');
  return `<tr class="f${r.differs ? ' diff' : ''}" id="${e(anchorId('row', r.id))}" data-differs="${r.differs ? '1' : '0'}" data-capability="${e(r.capability)}" data-level="${e(r.level)}" data-verdicts="${e(verdicts)}" data-search="${e(`${r.id} ${r.title}`.toLowerCase())}"><td><code style="font-weight:600">${e(r.id)}</code><div class="muted">${e(r.title)}</div></td><td><span class="lvl lvl-${e(r.level)}">${e(r.level)}</span></td>${cells}</tr>`;
}

function firstLines(text: string): string {
  const t = text.split('\n').slice(0, 3).join('\n');
  return t.length > 400 ? `${t.slice(0, 400)}…` : t;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url;
  }
}

function profileName(profile: string): string {
  const base = profile.split('/').pop() ?? profile;
  return base.endsWith('.yaml') ? base.slice(0, -5) : base;
}

const SCRIPT = `(function () {
  'use strict';
  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var state = { diff: false, capability: '', level: '', verdict: '', q: '' };
  var shown = document.querySelector('[data-shown]');
  function apply() {
    var n = 0, total = 0;
    all('tr.f').forEach(function (r) {
      var m = (!state.diff || r.getAttribute('data-differs') === '1')
        && (!state.capability || r.getAttribute('data-capability') === state.capability)
        && (!state.level || r.getAttribute('data-level') === state.level)
        && (!state.verdict || (' ' + r.getAttribute('data-verdicts') + ' ').indexOf(' ' + state.verdict + ' ') >= 0)
        && (!state.q || (r.getAttribute('data-search') || '').indexOf(state.q) >= 0);
      r.classList.toggle('hidden', !m); total++; if (m) n++;
    });
    all('tr.grp').forEach(function (g) {
      var cap = g.getAttribute('data-capability');
      var any = all('tr.f').some(function (r) { return r.getAttribute('data-capability') === cap && !r.classList.contains('hidden'); });
      g.classList.toggle('hidden', !any);
    });
    if (shown) shown.textContent = n + ' of ' + total + ' checks shown';
  }
  all('[data-filter]').forEach(function (el) {
    var k = el.getAttribute('data-filter');
    el.addEventListener(el.type === 'checkbox' ? 'change' : 'input', function () {
      state[k] = el.type === 'checkbox' ? el.checked : (k === 'q' ? el.value.trim().toLowerCase() : el.value);
      apply();
    });
  });
  apply();
})();`;
