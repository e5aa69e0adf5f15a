// What a run prints: a header saying what is being judged, one line per check as it finishes with its
// real verdict (a WARN is not a ✓), and a summary by level with the failed ids, the re-run command and
// where the report is. Pure functions returning text; the reporter prints them.
import path from 'node:path';
import type { CheckResult, Level, Verdict } from '../lib/results.ts';
import type { ComplianceReport } from './model.ts';
import { durationText, levelLine, skipExplanation, tallyByLevel } from './summary.ts';
import { formatMs, VERDICT_META, VERDICT_ORDER } from './theme.ts';

export interface RunHeader {
  version: string;
  /** the base URL, without credentials */
  target: string;
  mock: boolean;
  model: string;
  modelSource: string;
  /** the profile as given (a path or a bundled name), or undefined */
  profile?: string;
  profileName?: string;
  claimed: string[];
  notClaimed: string[];
  probed: string[];
  auth: string;
  /** a key is sent (its variable's name), or not */
  keyEnv?: string;
  checks: number;
  checksInSuite: number;
  workers: number;
  reportDir: string;
  preflightMs?: number;
}

const ANSI: Partial<Record<Verdict | 'dim' | 'bold', string>> = { FAIL: '31', WARN: '33', KNOWN: '33', IGNORED: '35', PASS: '32', INFO: '36', UNSUPPORTED: '90', SKIP: '90', dim: '2', bold: '1' };

export type Paint = (style: keyof typeof ANSI, text: string) => string;

export function painter(enabled: boolean): Paint {
  return (style, text) => (enabled && ANSI[style] ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text);
}

/** Colours on a terminal, unless NO_COLOR; FORCE_COLOR forces them (as Playwright reads them). */
export function colorsWanted(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return !!stream.isTTY && env.NO_COLOR === undefined;
}

export function formatHeader(h: RunHeader, paint: Paint): string {
  const row = (label: string, value: string) => `  ${paint('dim', label.padEnd(13))} ${value}`;
  const caps = h.profile
    ? [h.claimed.length ? `claimed: ${h.claimed.join(', ')}` : '', h.notClaimed.length ? `not claimed: ${h.notClaimed.join(', ')}` : '', h.probed.length ? `probed: ${h.probed.join(', ')}` : ''].filter(Boolean).join('; ')
    : `none claimed: every capability is probed (${h.probed.join(', ')})`;
  const auth =
    h.auth === 'none'
      ? 'none (no key is sent; the auth checks are skipped)'
      : `${h.auth === 'azure' ? 'azure (api-key header, api-version query)' : 'bearer (Authorization: Bearer …)'}, ${h.mock ? "the mock's own key" : h.keyEnv ? `key from $${h.keyEnv}` : 'no key set'}`;
  return [
    paint('bold', `oai-compat ${h.version}: conformance of an OpenAI-compatible Chat Completions endpoint`),
    row('target', h.mock ? `${h.target} (the embedded mock server; give --base-url or BASE_URL to test yours)` : h.target),
    row('model', `${h.model} (${h.modelSource})`),
    row('profile', h.profile ? `${h.profile}${h.profileName && h.profileName !== h.profile ? ` (${h.profileName})` : ''}` : 'none'),
    row('capabilities', caps),
    row('auth', auth),
    row('checks', `${h.checks === h.checksInSuite ? h.checks : `${h.checks} of ${h.checksInSuite}`}, ${h.workers} worker${h.workers === 1 ? '' : 's'}${h.preflightMs !== undefined ? `; preflight passed in ${formatMs(h.preflightMs)}` : ''}`),
    row('reports', h.reportDir),
    '',
  ].join('\n');
}

/** "  ✕ FAIL  MUST    stream.done-sentinel  A stream ends with data: [DONE] (12 ms)" and, for problems, why. */
export function formatCheckLine(c: CheckResult, paint: Paint): string {
  const symbol = VERDICT_META[c.verdict]?.symbol ?? '?';
  const head = `  ${paint(c.verdict, `${symbol} ${c.verdict.padEnd(11)}`)} ${c.level.padEnd(6)} ${c.id.padEnd(36)} ${paint('dim', `${c.title} (${durationText(c)})`)}`;
  if (c.verdict !== 'FAIL' && c.verdict !== 'WARN' && c.verdict !== 'KNOWN') return head;
  const lines = [head, `      ${firstLine(c.message)}`];
  if (c.verdict === 'FAIL') lines.push(paint('dim', `      re-run: ${c.rerun}`));
  return lines.join('\n');
}

export function firstLine(text: string, max = 240): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export interface SummaryInput {
  report: ComplianceReport;
  reportDir: string;
  /** files written, or why none were */
  written: boolean;
}

export function formatSummary({ report, reportDir, written }: SummaryInput, paint: Paint): string {
  const byLevel = tallyByLevel(report.checks);
  const counts = VERDICT_ORDER.filter((v) => report.summary[v] > 0).map((v) => paint(v, `${report.summary[v]} ${v}`)).join(', ');
  const out = ['', paint('bold', `oai-compat: ${levelLine(byLevel)}`) + ` (${report.checks.length} checks: ${counts}; ${formatMs(report.durationMs)})`];
  if (report.partial) {
    out.push(paint('WARN', `  partial run: ${report.partial.checksJudged} of ${report.partial.checksInSuite} checks judged (${report.partial.reasons.join('; ')}); this report does not stand for the whole suite`));
  }
  for (const level of ['MUST', 'SHOULD', 'MAY'] as Level[]) {
    const problems = report.checks.filter((c) => c.level === level && (c.verdict === 'FAIL' || c.verdict === 'WARN' || c.verdict === 'KNOWN' || c.verdict === 'IGNORED'));
    const skipped = report.checks.filter((c) => c.level === level && c.verdict === 'SKIP');
    const t = byLevel[level];
    const parts = [`${t.passed}/${t.total} hold`];
    if (skipped.length) parts.push(`${skipped.length} skipped: ${skipExplanation(skipped)}`);
    out.push(`  ${level.padEnd(6)} ${parts.join(', ')}`);
    for (const v of ['FAIL', 'WARN', 'KNOWN', 'IGNORED'] as Verdict[]) {
      const ids = problems.filter((c) => c.verdict === v).map((c) => c.id);
      if (ids.length) out.push(`         ${paint(v, v)}: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? `, … and ${ids.length - 12} more` : ''}`);
    }
  }
  const firstFail = report.checks.find((c) => c.verdict === 'FAIL');
  if (firstFail) out.push(`  re-run one: ${firstFail.rerun}`);
  const html = path.join(reportDir, 'compliance.html');
  if (written) {
    const shown = path.relative(process.cwd(), html) || html;
    const rel = shown.startsWith('..') ? html : shown;
    out.push(`  report: ${rel}  (open it: xdg-open ${rel}  ·  macOS: open ${rel})`);
  }
  const mustFailed = report.checks.some((c) => c.level === 'MUST' && c.verdict === 'FAIL');
  if (report.partial?.interrupted) out.push(paint('WARN', '  interrupted: exit code 130'));
  else out.push(mustFailed ? paint('FAIL', '  exit code 1: a MUST requirement does not hold') : paint('PASS', '  exit code 0: no MUST requirement failed'));
  return `${out.join('\n')}\n`;
}
