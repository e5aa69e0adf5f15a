// Builds the machine-readable report (compliance.json) from the checks' results.
import { PACKAGE_VERSION } from '../lib/package-info.ts';
import { VERDICTS, type CheckResult, type Level, type Verdict } from '../lib/results.ts';
import { REPORT_FORMAT, type ComplianceReport, type TargetInfo } from './model.ts';


/** A check counts as met unless it failed or warned (KNOWN failures are listed, not met). */
export function isMet(verdict: Verdict): boolean {
  return verdict === 'PASS' || verdict === 'INFO' || verdict === 'UNSUPPORTED';
}

export function buildReport(input: {
  results: CheckResult[];
  target?: TargetInfo;
  startedAt: Date;
  durationMs: number;
}): ComplianceReport {
  const checks = [...input.results].sort((a, b) => a.id.localeCompare(b.id));
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const byLevel: Record<Level, { total: number; passed: number }> = {
    MUST: { total: 0, passed: 0 },
    SHOULD: { total: 0, passed: 0 },
    MAY: { total: 0, passed: 0 },
  };
  const byCapability: Record<string, Partial<Record<Verdict, number>>> = {};
  for (const c of checks) {
    counts[c.verdict]++;
    if (c.verdict !== 'SKIP' && c.verdict !== 'UNSUPPORTED') {
      byLevel[c.level].total++;
      if (isMet(c.verdict)) byLevel[c.level].passed++;
    }
    const cap = (byCapability[c.capability] ??= {});
    cap[c.verdict] = (cap[c.verdict] ?? 0) + 1;
  }
  return {
    format: REPORT_FORMAT,
    tool: { name: 'oai-compat', version: PACKAGE_VERSION },
    target: input.target ?? { baseUrl: '(not recorded)', model: '(not recorded)', profile: '(none)', auth: 'bearer', mock: false },
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    summary: { ...counts, total: checks.length, byLevel, byCapability },
    checks,
  };
}
