// Figures derived from a ComplianceReport that several outputs show: level tallies (overall and per
// capability), the level reached, and stream timing statistics.
import type { CheckResult, Level, Timings, Verdict } from '../lib/results.ts';
import { isMet } from './compliance.ts';
import type { ComplianceReport } from './model.ts';
import { formatMs } from './theme.ts';

export interface Tally {
  total: number;
  passed: number;
}

/** Counts a check towards its level unless it was not run or not applicable (as buildReport does). */
export function counts(verdict: Verdict): boolean {
  return verdict !== 'SKIP' && verdict !== 'UNSUPPORTED';
}

export function tallyByLevel(checks: CheckResult[]): Record<Level, Tally> {
  const out: Record<Level, Tally> = { MUST: { total: 0, passed: 0 }, SHOULD: { total: 0, passed: 0 }, MAY: { total: 0, passed: 0 } };
  for (const c of checks) {
    if (!counts(c.verdict) || !out[c.level]) continue;
    out[c.level].total++;
    if (isMet(c.verdict)) out[c.level].passed++;
  }
  return out;
}

/** "MUST 61/61 · SHOULD 18/20 · MAY 5/6" */
export function levelLine(byLevel: Record<Level, Tally>): string {
  return (['MUST', 'SHOULD', 'MAY'] as Level[]).map((l) => `${l} ${byLevel[l].passed}/${byLevel[l].total}`).join(' · ');
}

export type Reached = 'none' | 'MUST' | 'SHOULD' | 'MAY';

/** The highest level whose requirements (and those of every stricter level) all hold. */
export function levelReached(byLevel: Record<Level, Tally>): Reached {
  const all = (l: Level) => byLevel[l].passed === byLevel[l].total;
  if (!all('MUST') || byLevel.MUST.total === 0) return 'none';
  if (!all('SHOULD')) return 'MUST';
  if (!all('MAY')) return 'SHOULD';
  return 'MAY';
}

export function capabilities(report: { checks: { capability: string }[] }): string[] {
  const seen: string[] = [];
  for (const c of report.checks) if (!seen.includes(c.capability)) seen.push(c.capability);
  const order = ['core', 'streaming', 'stream-usage', 'reasoning', 'tools', 'parallel-tools', 'vision', 'structured-output', 'logprobs', 'n', 'seed', 'equivalence', 'errors', 'models', 'auth'];
  return seen.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b);
  });
}

export function mustPassRate(report: ComplianceReport): number | undefined {
  const t = tallyByLevel(report.checks).MUST;
  return t.total === 0 ? undefined : t.passed / t.total;
}

export function mustFailures(report: ComplianceReport): number {
  return report.checks.filter((c) => c.level === 'MUST' && c.verdict === 'FAIL').length;
}

export interface StreamTiming {
  check: CheckResult;
  exchange: number;
  ttftMs?: number;
  totalMs?: number;
  events?: number;
  gapsMs: number[];
  medianGapMs?: number;
  p95GapMs?: number;
  maxGapMs?: number;
  /** a long stream: gapsMs holds the largest gap of each run of this many events */
  perBar?: number;
}

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Every exchange that was streamed (has a TTFT or inter-event gaps). */
export function streamTimings(report: ComplianceReport): StreamTiming[] {
  const out: StreamTiming[] = [];
  for (const check of report.checks) {
    (check.evidence?.exchanges ?? []).forEach((x, i) => {
      const t: Timings | undefined = x.timings;
      if (!t || (t.ttftMs === undefined && !t.gapsMs?.length)) return;
      const gaps = (t.gapsMs ?? []).filter((g) => Number.isFinite(g));
      const summary = t.gapSummary;
      out.push({
        check,
        exchange: i,
        ttftMs: t.ttftMs,
        totalMs: t.totalMs,
        events: t.events,
        gapsMs: gaps,
        medianGapMs: summary ? summary.medianMs : percentile(gaps, 50),
        p95GapMs: summary ? summary.p95Ms : percentile(gaps, 95),
        maxGapMs: summary ? summary.maxMs : gaps.length ? gaps.reduce((a, b) => (b > a ? b : a)) : undefined,
        ...(summary ? { perBar: summary.perBar } : {}),
      });
    });
  }
  return out;
}

/**
 * Why checks were skipped, grouped, for where skipped checks are counted:
 * "4 prerequisite failed (see vision.data-url); 5 reasoning: no reasoning model, set REASONING_MODEL".
 */
export function skipExplanation(skipped: CheckResult[]): string {
  const groups = new Map<string, { n: number; see: Set<string>; caps: Set<string> }>();
  for (const c of skipped) {
    const key = skipKey(c.message);
    const g = groups.get(key) ?? { n: 0, see: new Set<string>(), caps: new Set<string>() };
    g.n++;
    g.caps.add(c.capability);
    for (const m of c.message.matchAll(/\(see ([a-z0-9][\w.-]*[\w])\)/g)) g.see.add(m[1]);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([key, g]) => {
      const see = g.see.size ? ` (see ${[...g.see].slice(0, 3).join(', ')}${g.see.size > 3 ? ', …' : ''})` : '';
      const caps = g.caps.size === 1 ? `${[...g.caps][0]}: ` : '';
      return `${g.n} ${caps}${key}${see}`;
    })
    .join('; ');
}

function skipKey(message: string): string {
  if (/REASONING_MODEL/.test(message)) return 'no reasoning model, set REASONING_MODEL';
  if (/^prerequisite failed/.test(message)) return 'prerequisite failed';
  if (/^not run \(test skipped\)/.test(message)) return 'not run';
  if (/^not judged: the run was interrupted/.test(message)) return 'the run was interrupted';
  const first = message.split('\n')[0].replace(/\s*\(see [^)]*\)/g, '');
  const clause = first.split(/[:;,] /)[0];
  return clause.length > 70 ? `${clause.slice(0, 70)}…` : clause;
}

/** A check's duration, or that it judged answers sent earlier for other checks (never a bare "0 ms"). */
export function durationText(c: CheckResult): string {
  const exchanges = c.evidence?.exchanges.length ?? 0;
  if (exchanges > 0 && c.sharedExchanges === exchanges) return `judged ${exchanges === 1 ? 'a shared answer' : 'shared answers'}`;
  return formatMs(c.durationMs);
}

/** A message without the "sent: … got: …" lines (or ". Sent: …"), for where the exchange is shown in full. */
export function problemOnly(message: string): string {
  const cut = [message.indexOf('\n  sent: '), message.indexOf('. Sent: ')].filter((i) => i > 0);
  return cut.length ? message.slice(0, Math.min(...cut)) : message;
}
