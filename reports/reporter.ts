// The compliance reporter: reads each check's result from its test's annotations and writes the
// report files into REPORT_DIR (compliance.json, compliance.html, junit.xml, badge.svg).
// Works the same for a single run, a sharded run and merge-reports of blob reports.
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { redactJson, redactText, registerSecret } from '../lib/redact.ts';
import { buildReport } from './compliance.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, type CheckResult, type Level, type TargetInfo } from './model.ts';
import { levelLine, tallyByLevel } from './summary.ts';
import { VERDICT_ORDER } from './theme.ts';
import { writeAll } from './write.ts';

interface Options {
  outputDir?: string;
  /** print the one-line summary at the end (default true) */
  summary?: boolean;
}

const LEVELS: Level[] = ['MUST', 'SHOULD', 'MAY'];

export default class ComplianceReporter implements Reporter {
  private readonly outputDir: string;
  private readonly printSummary: boolean;
  private readonly results = new Map<string, CheckResult>();
  private target: TargetInfo | undefined;

  constructor(options: Options = {}) {
    this.outputDir = options.outputDir ?? process.env.REPORT_DIR ?? 'reports';
    this.printSummary = options.summary ?? true;
  }

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // Recent Playwright keeps annotations on the result; older ones only on the test case.
    const annotations = [...(result.annotations ?? []), ...test.annotations];
    const own = annotations.find((a) => a.type === RESULT_ANNOTATION);
    if (own?.description) {
      const check = JSON.parse(own.description) as CheckResult;
      this.results.set(check.id, check);
    } else {
      const synthetic = resultWithoutAnnotation(test, result);
      if (synthetic) this.results.set(synthetic.id, synthetic);
    }
    const target = annotations.find((a) => a.type === TARGET_ANNOTATION);
    if (target?.description && !this.target) this.target = JSON.parse(target.description) as TargetInfo;
  }

  onEnd(result: FullResult): void {
    // Nothing ran (`--list`, a filter that matched no check): keep the previous report.
    if (this.results.size === 0) return;
    // Global setup (run in this process) exports the key it used; redact it once more, defence in depth.
    registerSecret(process.env.API_KEY || process.env.OPENAI_API_KEY);
    const report = buildReport({
      results: [...this.results.values()].map((r) => redactJson(r)),
      target: this.target ? redactJson(this.target) : undefined,
      startedAt: result.startTime,
      durationMs: result.duration,
    });
    writeAll(report, this.outputDir);
    if (this.printSummary && report.checks.length > 0) {
      const verdicts = VERDICT_ORDER.filter((v) => report.summary[v] > 0).map((v) => `${report.summary[v]} ${v}`).join(', ');
      const html = path.join(this.outputDir, 'compliance.html');
      process.stdout.write(`\noai-compat: ${levelLine(tallyByLevel(report.checks))} (${report.checks.length} checks: ${verdicts})\n  report: ${html}\n`);
    }
  }
}

/**
 * A check's test that ended without recording a result (it timed out, crashed, or was skipped before
 * running) still gets a row, so that every check appears in the report exactly once.
 */
function resultWithoutAnnotation(test: TestCase, result: TestResult): CheckResult | undefined {
  const match = /^([a-z0-9][\w.-]*): (.+)$/s.exec(test.title);
  const tags = test.tags ?? [];
  const level = LEVELS.find((l) => tags.includes(`@${l}`));
  if (!match || !level) return undefined;
  const capability = tags.map((t) => t.slice(1)).find((t) => !(LEVELS as string[]).includes(t)) ?? 'unknown';
  const error = result.errors?.[0]?.message ?? result.error?.message ?? '';
  const reason = redactText(stripAnsi(error).split('\n').slice(0, 6).join('\n'));
  const ran = result.status === 'failed' || result.status === 'timedOut' || result.status === 'interrupted';
  const message = ran
    ? `the check could not complete: its test ended ${result.status} without recording a result${reason ? `: ${reason}` : ''}`
    : `not run (test ${result.status})${reason ? `: ${reason}` : ''}`;
  return {
    id: match[1],
    title: match[2],
    level,
    capability,
    requirement: '(not recorded: the check did not complete)',
    verdict: ran ? (level === 'MUST' ? 'FAIL' : 'WARN') : 'SKIP',
    message,
    durationMs: Math.round(result.duration),
    rerun: `npx playwright test -g "${match[1]}:"`,
    fault: '',
  };
}

function stripAnsi(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x1b && text[i + 1] === '[') {
      i += 2;
      while (i < text.length && !/[A-Za-z]/.test(text[i])) i++;
      continue;
    }
    out += text[i];
  }
  return out;
}
