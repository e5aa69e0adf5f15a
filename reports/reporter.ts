// The compliance reporter: reads each check's result from its test's annotations and writes the
// report files into REPORT_DIR. Works the same for a single run, a sharded run and merge-reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { buildReport } from './compliance.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, type CheckResult, type TargetInfo } from './model.ts';

interface Options {
  outputDir?: string;
}

export default class ComplianceReporter implements Reporter {
  private readonly outputDir: string;
  private readonly results = new Map<string, CheckResult>();
  private target: TargetInfo | undefined;

  constructor(options: Options = {}) {
    this.outputDir = options.outputDir ?? process.env.REPORT_DIR ?? 'reports';
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
    }
    const target = annotations.find((a) => a.type === TARGET_ANNOTATION);
    if (target?.description && !this.target) this.target = JSON.parse(target.description) as TargetInfo;
  }

  onEnd(result: FullResult): void {
    const report = buildReport({
      results: [...this.results.values()],
      target: this.target,
      startedAt: result.startTime,
      durationMs: result.duration,
    });
    mkdirSync(this.outputDir, { recursive: true });
    writeFileSync(path.join(this.outputDir, 'compliance.json'), `${JSON.stringify(report, null, 2)}\n`);
  }
}
