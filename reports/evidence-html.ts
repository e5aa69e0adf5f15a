// One check's evidence in compliance.html: the message, the requirement, the exchanges (headers, bodies
// with control characters made visible), their timings and gap chart, and the command that re-runs it.
// Every value passes through escapeHtml: a hostile server's body cannot inject markup.
import type { CheckResult, EvidenceExchange } from '../lib/results.ts';
import { escapeHtml as e } from './escape.ts';
import type { ComplianceReport } from './model.ts';
import { problemOnly } from './summary.ts';
import { formatMs, LEVEL_MEANING, shellQuote, VERDICT_META } from './theme.ts';

/** What a check saw and concluded: message, requirement, facts, figures, exchanges, notes, re-run command. */
export function evidenceHtml(c: CheckResult, report: ComplianceReport): string {
  const parts: string[] = [];
  // The exchange is shown in full below: the message keeps only the problem.
  const message = (c.evidence?.exchanges.length ?? 0) > 0 ? problemOnly(c.message) : c.message;
  parts.push(`<h4>Message</h4><pre class="msg v-${e(c.verdict)}">${visible(message)}</pre>`);
  parts.push(`<h4>Requirement</h4><blockquote>${e(c.requirement)}</blockquote>`);
  const facts: [string, string][] = [
    ['verdict', `${c.verdict} — ${VERDICT_META[c.verdict]?.meaning ?? ''}`],
    ['level', `${c.level} — ${LEVEL_MEANING[c.level] ?? ''}`],
    ['capability', c.capability],
    ['duration', c.sharedExchanges ? `${formatMs(c.durationMs)} — ${c.sharedExchanges} of its ${c.evidence?.exchanges.length ?? 0} exchange(s) answered once for several checks (identical requests are sent once per run); their timings are that request's` : formatMs(c.durationMs)],
  ];
  if (c.repeat) facts.push(['repeats', `${c.repeat.passes}/${c.repeat.k} passed · pass@${c.repeat.k} ${c.repeat.passAtK} · pass^${c.repeat.k} ${c.repeat.passHatK}`]);
  if (c.fault) facts.push(['proving fault', `${c.fault} (the mock-server fault that makes this check fail)`]);
  parts.push(`<dl class="kv" style="margin-top:12px">${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`);
  if (c.metrics && Object.keys(c.metrics).length > 0) {
    parts.push(`<h4>Figures</h4><div class="chips">${Object.entries(c.metrics).map(([k, v]) => `<span class="chip">${e(k)} <b>${e(formatNumber(v))}</b></span>`).join('')}</div>`);
  }
  const exchanges = c.evidence?.exchanges ?? [];
  if (exchanges.length > 0) {
    const omitted = c.evidence?.omittedExchanges ? `<p class="muted">${e(c.evidence.omittedExchanges)} more exchange(s) between these are left out of the report.</p>` : '';
    parts.push(`<h4>Exchanges (${exchanges.length})</h4>${exchanges.map((x, i) => exchangeHtml(x, i, exchanges.length)).join('')}${omitted}`);
  }
  if (c.evidence?.notes && Object.keys(c.evidence.notes).length > 0) {
    parts.push(`<h4>Notes</h4><pre class="code">${e(JSON.stringify(c.evidence.notes, null, 2))}</pre>`);
  }
  const cmd = rerunCommand(c, report);
  parts.push(`<h4>Re-run this check</h4><div class="rerun"><code>${e(cmd)}</code><button type="button" data-copy>Copy</button></div>`);
  return parts.join('\n');
}

/** The check's re-run command: complete as recorded; reports from older versions get the target's settings in front. */
export function rerunCommand(c: CheckResult, report: ComplianceReport): string {
  const t = report.target;
  if (t.mock || !t.baseUrl || t.baseUrl.startsWith('(') || /BASE_URL=|--base-url /.test(c.rerun)) return c.rerun;
  const env = [`BASE_URL=${shellQuote(t.baseUrl)}`];
  if (t.model && !t.model.startsWith('(')) env.push(`MODEL=${shellQuote(t.model)}`);
  if (t.profile && t.profile.endsWith('.yaml')) env.push(`PROFILE=${shellQuote(t.profile)}`);
  if (t.auth !== 'none') env.push('API_KEY="$API_KEY"');
  return `${env.join(' ')} ${c.rerun}`;
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}

function exchangeHtml(x: EvidenceExchange, i: number, n: number): string {
  const req = x.request ?? { method: '?', url: '?', headers: {} };
  const status = x.response?.status;
  const reqBody = (req as { rawBody?: unknown }).rawBody !== undefined ? String((req as { rawBody?: unknown }).rawBody) : req.body === undefined ? '' : pretty(req.body);
  const statusClass = status === undefined ? 's0' : `s${String(status)[0]}`;
  const resp = x.response
    ? `<div class="line"><span class="status ${statusClass}">${e(status)}</span>${e(x.response.headers?.['content-type'] ?? '')}</div>
${headerList(x.response.headers)}
${x.response.body ? `<pre class="code" aria-label="response body">${bodyHtml(x.response.body)}</pre>` : '<p class="muted">(empty body)</p>'}
${x.response.truncated ? '<p class="muted" style="font-size:12px;margin:4px 0 0">The body is trimmed; the full body is not kept in reports.</p>' : ''}`
    : '<p class="muted">No response arrived.</p>';
  return `<div class="exchange">
<div class="line">${n > 1 ? `<span class="muted">#${i + 1}</span> ` : ''}${e(req.method)} ${e(req.url)}</div>
${x.error ? `<pre class="msg v-FAIL" style="margin-bottom:8px">network: ${visible(x.error)}</pre>` : ''}
<div class="two"><div><h4>Request</h4>${headerList(req.headers)}${reqBody ? `<pre class="code" aria-label="request body">${e(reqBody)}</pre>` : ''}</div>
<div><h4>Response</h4>${resp}</div></div>
${x.timings ? timingsHtml(x.timings) : ''}
</div>`;
}

function headerList(headers: Record<string, string> | undefined): string {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return '';
  return `<details style="margin:0 0 6px"><summary class="muted" style="cursor:pointer;font-size:12px">${entries.length} header${entries.length === 1 ? '' : 's'}</summary><dl class="kv">${entries.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl></details>`;
}

function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A response body as text: JSON pretty-printed; otherwise raw, with CR and control characters made visible. */
function bodyHtml(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return e(JSON.stringify(JSON.parse(trimmed), null, 2));
    } catch {
      /* raw below */
    }
  }
  return visible(body);
}

/** Escaped text with CR, control characters and U+FFFD shown as visible, titled symbols. */
function visible(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\r') out += '<span class="ctl" title="carriage return (CR)">␍</span>';
    else if (ch === '\n' || ch === '\t') out += ch;
    else if (code < 0x20 || code === 0x7f) out += `<span class="ctl" title="control character U+${code.toString(16).toUpperCase().padStart(4, '0')}">${e(String.fromCodePoint(code === 0x7f ? 0x2421 : 0x2400 + code))}</span>`;
    else if (code === 0xfffd || (code >= 0xd800 && code <= 0xdfff)) out += '<span class="ctl" title="replacement character: invalid UTF-8 or a lone surrogate">�</span>';
    else out += e(ch);
  }
  return out;
}

function timingsHtml(t: NonNullable<EvidenceExchange['timings']>): string {
  const facts: [string, number | undefined][] = [
    ['headers', t.headersMs],
    ['first token', t.ttftMs],
    ['total', t.totalMs],
  ];
  const chips = facts.filter(([, v]) => v !== undefined).map(([k, v]) => `<span class="chip">${e(k)} <b>${e(formatMs(v))}</b></span>`);
  if (t.events !== undefined) chips.push(`<span class="chip">events <b>${e(t.events)}</b></span>`);
  const gaps = t.gapsMs ?? [];
  const summary = t.gapSummary;
  if (summary) {
    chips.push(`<span class="chip">median gap <b>${e(formatMs(summary.medianMs))}</b></span>`);
    chips.push(`<span class="chip">p95 gap <b>${e(formatMs(summary.p95Ms))}</b></span>`);
    chips.push(`<span class="chip">max gap <b>${e(formatMs(summary.maxMs))}</b></span>`);
  } else if (gaps.length) {
    const sorted = [...gaps].sort((a, b) => a - b);
    chips.push(`<span class="chip">median gap <b>${e(formatMs(sorted[Math.floor((sorted.length - 1) / 2)]))}</b></span>`);
    chips.push(`<span class="chip">max gap <b>${e(formatMs(sorted[sorted.length - 1]))}</b></span>`);
  }
  const label = summary ? `largest gap of each ${summary.perBar} consecutive events (${summary.count} gaps)` : undefined;
  return `<h4>Timings</h4><div class="chips">${chips.join('')}</div>${gaps.length ? gapChart(gaps, 560, 70, label) : ''}`;
}

/** Bars, one per gap between consecutive events: where a stream stalls is visible at a glance. */
export function gapChart(gaps: number[], width = 560, height = 70, label = `gap between consecutive events (${gaps.length})`): string {
  const max = gaps.reduce((a, b) => (b > a ? b : a), 1);
  const n = gaps.length;
  const left = 50;
  const plotW = width - left - 4;
  const plotH = height - 16;
  const bw = plotW / n;
  const bars = gaps
    .map((g, i) => {
      const h = Math.max(1, (g / max) * plotH);
      const x = left + i * bw;
      return `<rect x="${(x + bw * 0.12).toFixed(1)}" y="${(plotH - h + 2).toFixed(1)}" width="${Math.max(1, bw * 0.76).toFixed(1)}" height="${h.toFixed(1)}" rx="1" style="fill:var(--INFO)"><title>${e(`gap ${i + 1}: ${formatMs(g)}`)}</title></rect>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${e(`inter-event gaps: ${n} gaps, max ${formatMs(max)}`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="margin-top:8px">
<line x1="${left}" y1="${plotH + 2}" x2="${width - 4}" y2="${plotH + 2}" style="stroke:var(--line)"/>
<text x="${left - 4}" y="10" text-anchor="end">${e(formatMs(max))}</text><text x="${left - 4}" y="${plotH + 2}" text-anchor="end">0</text>
${bars}
<text x="${left}" y="${height - 2}">${e(label)}</text>
</svg>`;
}
