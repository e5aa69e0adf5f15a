// What compliance.html and compare.html share: verdict colours and symbols, the stylesheet, the page
// shell with a Content-Security-Policy that allows no network access and only our own inline script.
import { createHash } from 'node:crypto';
import type { Level, Verdict } from '../lib/results.ts';
import { escapeHtml } from './escape.ts';

export interface VerdictMeta {
  symbol: string;
  label: string;
  meaning: string;
}

export const VERDICT_META: Record<Verdict, VerdictMeta> = {
  PASS: { symbol: '✓', label: 'Pass', meaning: 'the requirement held' },
  FAIL: { symbol: '✕', label: 'Fail', meaning: 'a MUST did not hold' },
  WARN: { symbol: '!', label: 'Warn', meaning: 'a SHOULD (or MAY) did not hold, or a MUST held only leniently' },
  UNSUPPORTED: { symbol: '∅', label: 'Unsupported', meaning: 'the capability is not claimed and the endpoint refused it cleanly' },
  IGNORED: { symbol: '≈', label: 'Ignored', meaning: 'the parameter was accepted but had no effect' },
  SKIP: { symbol: '–', label: 'Skip', meaning: 'not run (capability absent, or a prerequisite failed)' },
  INFO: { symbol: 'i', label: 'Info', meaning: 'a MAY figure was measured' },
  KNOWN: { symbol: 'K', label: 'Known', meaning: 'a failure the profile lists as expected, with its reason' },
};

export const LEVELS: Level[] = ['MUST', 'SHOULD', 'MAY'];

export const LEVEL_MEANING: Record<Level, string> = {
  MUST: 'the contract: a client breaks without it',
  SHOULD: 'clients cope, users notice',
  MAY: 'informational: latency, optional fields',
};

/** Verdicts in the order a reader cares about them. */
export const VERDICT_ORDER: Verdict[] = ['FAIL', 'WARN', 'KNOWN', 'IGNORED', 'PASS', 'INFO', 'UNSUPPORTED', 'SKIP'];

export function verdictPill(verdict: Verdict, extraClass = ''): string {
  const m = VERDICT_META[verdict] ?? { symbol: '?', label: verdict, meaning: '' };
  return `<span class="pill v-${escapeHtml(verdict)}${extraClass ? ` ${extraClass}` : ''}" title="${escapeHtml(`${verdict}: ${m.meaning}`)}"><span aria-hidden="true">${escapeHtml(m.symbol)}</span> ${escapeHtml(verdict)}</span>`;
}

export const CSS = `
:root{
  --bg:#f6f7f9;--panel:#fff;--text:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#eef1f4;--accent:#0b5cad;
  --PASS:#1a7f37;--PASS-bg:#dafbe1;--FAIL:#c4232e;--FAIL-bg:#ffebe9;--WARN:#8a5a00;--WARN-bg:#fff3c4;
  --UNSUPPORTED:#4d5a67;--UNSUPPORTED-bg:#e7ecf0;--IGNORED:#7440c8;--IGNORED-bg:#f1e8ff;--SKIP:#5c656e;--SKIP-bg:#eef0f2;
  --INFO:#0b5cad;--INFO-bg:#ddeeff;--KNOWN:#a2440c;--KNOWN-bg:#ffeadb;--on-fill:#fff;
  --mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;
  --sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans","DejaVu Sans",Arial,sans-serif;
}
@media (prefers-color-scheme:dark){:root{
  --bg:#0f1216;--panel:#171b21;--text:#e6e9ed;--muted:#9aa5b1;--line:#2c333c;--soft:#20262e;--accent:#6cb0ff;
  --PASS:#4ac26b;--PASS-bg:#10331c;--FAIL:#ff7b72;--FAIL-bg:#3d1517;--WARN:#e3b341;--WARN-bg:#3a2d0b;
  --UNSUPPORTED:#a9b6c3;--UNSUPPORTED-bg:#252d36;--IGNORED:#c29bff;--IGNORED-bg:#2c1f47;--SKIP:#8b949e;--SKIP-bg:#22272e;
  --INFO:#6cb0ff;--INFO-bg:#0f2840;--KNOWN:#ffa657;--KNOWN-bg:#3b230f;--on-fill:#0d1117;
}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 var(--sans)}
a{color:var(--accent)}
code,pre,kbd{font-family:var(--mono);font-size:12.5px}
.wrap{max-width:1240px;margin:0 auto;padding:24px 24px 64px}
header.top{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:flex-end;justify-content:space-between;margin-bottom:16px}
header.top h1{font-size:22px;margin:0;letter-spacing:-.01em}
header.top .sub{color:var(--muted);margin-top:2px}
.brand{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.08em}
section{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:16px 0}
section>h2{font-size:16px;margin:0 0 12px}
h3{font-size:14px;margin:16px 0 8px}
.muted{color:var(--muted)}
.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:4px 24px;margin:0}
.meta div{min-width:0}
.meta dt{color:var(--muted);font-size:12px}
.meta dd{margin:0 0 6px;overflow-wrap:anywhere;font-weight:500}
.verdict-line{display:flex;gap:14px;align-items:center;padding:14px 16px;border-radius:8px;margin-bottom:16px;border:1px solid}
.verdict-line .big{font-size:28px;line-height:1;font-weight:700;width:44px;height:44px;border-radius:50%;display:flex;align-items:center;justify-content:center;flex:none;color:var(--on-fill)}
.verdict-line strong{font-size:17px;display:block}
.ok{background:var(--PASS-bg);border-color:var(--PASS)}.ok .big{background:var(--PASS)}
.bad{background:var(--FAIL-bg);border-color:var(--FAIL)}.bad .big{background:var(--FAIL)}
.meh{background:var(--WARN-bg);border-color:var(--WARN)}.meh .big{background:var(--WARN)}
.levels{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px}
.level{border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.level .name{font-weight:700;letter-spacing:.04em}
.level .num{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}
.level .num small{font-size:14px;color:var(--muted);font-weight:500}
.bar{height:8px;border-radius:4px;background:var(--soft);overflow:hidden;display:flex;margin:6px 0 4px}
.bar span{display:block;height:100%}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin-top:14px}
.pill{display:inline-flex;align-items:center;gap:4px;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent;font-family:var(--sans)}
${(['PASS', 'FAIL', 'WARN', 'UNSUPPORTED', 'IGNORED', 'SKIP', 'INFO', 'KNOWN'] as Verdict[])
  .map((v) => `.v-${v}{color:var(--${v});background:var(--${v}-bg);border-color:color-mix(in srgb,var(--${v}) 35%,transparent)}.fill-${v}{background:var(--${v})}`)
  .join('\n')}
.lvl{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.04em;padding:0 6px;border-radius:4px;border:1px solid var(--line);color:var(--muted);background:var(--soft)}
.lvl-MUST{color:var(--text)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.matrix td{vertical-align:middle}
.cells{display:flex;flex-wrap:wrap;gap:3px}
.cell{width:20px;height:20px;border-radius:4px;display:inline-flex;align-items:center;justify-content:center;font-size:11px;font-weight:700;text-decoration:none;border:1px solid transparent;color:#fff}
.cell.v-PASS,.cell.v-FAIL,.cell.v-WARN,.cell.v-UNSUPPORTED,.cell.v-IGNORED,.cell.v-SKIP,.cell.v-INFO,.cell.v-KNOWN{color:var(--on-fill)}
${(['PASS', 'FAIL', 'WARN', 'UNSUPPORTED', 'IGNORED', 'SKIP', 'INFO', 'KNOWN'] as Verdict[]).map((v) => `.cell.v-${v}{background:var(--${v})}`).join('')}
.cell:focus-visible,.pill:focus-visible,button:focus-visible,summary:focus-visible,select:focus-visible,input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.cap-name{font-weight:600;white-space:nowrap}
.cap-name a{color:var(--text);text-decoration:none}.cap-name a:hover{text-decoration:underline;color:var(--accent)}
.top-right{display:flex;flex-direction:column;align-items:flex-end;gap:6px}
.filters{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:10px 14px;margin:16px 0;box-shadow:0 2px 8px rgba(0,0,0,.04)}
.filters label{font-size:12px;color:var(--muted);display:inline-flex;gap:6px;align-items:center}
.filters select,.filters input[type=search]{font:inherit;font-size:13px;padding:4px 8px;border:1px solid var(--line);border-radius:6px;background:var(--panel);color:var(--text)}
.filters input[type=search]{width:200px}
.vbtns{display:flex;flex-wrap:wrap;gap:4px}
button{font:inherit;font-size:12px;cursor:pointer;border-radius:6px;border:1px solid var(--line);background:var(--soft);color:var(--text);padding:3px 9px}
button.pill{cursor:pointer}
button.pill[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.spacer{flex:1}
.shown{font-size:12px;color:var(--muted)}
.group h3{display:flex;gap:10px;align-items:center;margin:18px 0 6px}
.check{border:1px solid var(--line);border-radius:8px;margin:6px 0;background:var(--panel)}
.check>summary{list-style:none;cursor:pointer;display:grid;grid-template-columns:118px 62px minmax(0,1fr) auto;gap:10px;align-items:center;padding:7px 12px}
.check>summary>.pill,.check>summary>.lvl{justify-self:start}
.check>summary:hover{background:var(--soft)}
.check>summary::-webkit-details-marker{display:none}
.check>summary .id{font-family:var(--mono);font-size:12.5px;font-weight:600;overflow-wrap:anywhere}
.check>summary .title{color:var(--muted)}
.check>summary .dur{color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
.check[open]>summary{border-bottom:1px solid var(--line);background:var(--soft);border-radius:8px 8px 0 0}
.check.is-FAIL{border-left:4px solid var(--FAIL)}.check.is-WARN{border-left:4px solid var(--WARN)}.check.is-KNOWN{border-left:4px solid var(--KNOWN)}.check.is-IGNORED{border-left:4px solid var(--IGNORED)}
.ev{padding:12px 16px 16px}
.ev h4{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:14px 0 6px}
.ev h4:first-child{margin-top:0}
.msg{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);border-radius:6px;padding:8px 10px;margin:0}
.msg.v-FAIL,.msg.v-WARN,.msg.v-KNOWN,.msg.v-IGNORED{border:0;border-left:3px solid}
blockquote{margin:0;padding:6px 12px;border-left:3px solid var(--accent);background:var(--soft);border-radius:0 6px 6px 0;font-style:italic}
pre.code{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:0;max-height:360px;overflow:auto}
.ctl{color:var(--FAIL);background:var(--FAIL-bg);border-radius:2px;padding:0 1px}
.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:0}
.kv dt{color:var(--muted)}
.kv dd{margin:0;font-family:var(--mono);font-size:12.5px;overflow-wrap:anywhere}
.exchange{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:8px 0}
.exchange .line{font-family:var(--mono);font-size:12.5px;font-weight:600;overflow-wrap:anywhere;margin-bottom:6px}
.status{display:inline-block;border-radius:4px;padding:0 6px;margin-right:6px}
.s2{background:var(--PASS-bg);color:var(--PASS)}.s4,.s5,.s0{background:var(--FAIL-bg);color:var(--FAIL)}.s3,.s1{background:var(--INFO-bg);color:var(--INFO)}
.two{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}
.chips{display:flex;flex-wrap:wrap;gap:6px}
.chip{font-family:var(--mono);font-size:12px;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:1px 8px}
.chip b{font-weight:600}
.rerun{display:flex;gap:8px;align-items:center}
.rerun code{flex:1;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 10px;overflow-wrap:anywhere}
svg.chart{display:block;max-width:100%;height:auto}
svg.chart text{font-family:var(--sans);font-size:10px;fill:var(--muted)}
.top-right svg{display:block}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;color:var(--muted);margin:8px 0 0}
.legend span{display:inline-flex;gap:6px;align-items:center}
.hidden{display:none!important}
.check,.group,section{scroll-margin-top:calc(var(--filters-h,64px) + 16px)}
.skips{overflow-wrap:anywhere}
.verdict-line .warned{display:block;margin-top:4px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
.diff td{background:color-mix(in srgb,var(--WARN-bg) 70%,transparent)}
.diff td:first-child{box-shadow:inset 3px 0 0 var(--WARN)}
.cmp th.ep{min-width:140px;vertical-align:bottom}
.cmp td.vc{text-align:center}
.cmp .epname{font-family:var(--mono);font-size:12px;color:var(--text);overflow-wrap:anywhere;font-weight:600}
.scroll{overflow-x:auto}
@media (max-width:760px){.levels{grid-template-columns:1fr}.two{grid-template-columns:1fr}.check>summary{grid-template-columns:1fr auto}.check>summary .title{grid-column:1/-1}}
@media print{.filters{position:static}.check{break-inside:avoid}}
`;

/** A complete HTML document. The CSP forbids every network access and any script but `script`. */
export function page(opts: { title: string; body: string; script: string }): string {
  const hash = createHash('sha256').update(opts.script, 'utf8').digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(opts.title)}</title>
<style>${CSS}</style>
</head>
<body>
${opts.body}
<script>${opts.script}</script>
</body>
</html>
`;
}

/** Durations for people: 850 ms, 12.4 s, 3 min 05 s. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${min} min ${String(s).padStart(2, '0')} s`;
}

/** Single-quote a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.split("'").join(`'\\''`)}'`;
}
