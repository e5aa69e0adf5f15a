// The compliance reporter: reads each check's result from its test's annotations and writes the
// report files into REPORT_DIR (compliance.json, compliance.html, junit.xml, badge.svg), prints the
// run (a header, a line per check, a summary), and gives Playwright the verdicts:
//  - a FAIL verdict marks the Playwright test failed, with the verdict's message (the worker does not
//    fail it: see suites/runner/playwright.ts). Keep this reporter first in the list so that
//    Playwright's own reporters (HTML, JUnit, list, blob) see the failure;
//  - the exit code is 1 when a MUST failed, else 0 (a SHOULD check that crashed is a WARN, not a 1).
// Works the same for a single run, a sharded run and merge-reports of blob reports.
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { displayBaseUrl, loadConfig, reportDirFromEnv, workersFromEnv } from '../lib/config.ts';
import { PACKAGE_VERSION } from '../lib/package-info.ts';
import { redactJson, redactText, registerSecret } from '../lib/redact.ts';
import type { CheckResult, Level } from '../lib/results.ts';
import { allChecks } from '../suites/checks/index.ts';
import { CAPABILITIES } from '../suites/checks/types.ts';
import { rerunCommand, rerunContext } from '../suites/runner/rerun.ts';
import { claims } from '../suites/runner/context.ts';
import { boundResult } from './bound.ts';
import { buildReport } from './compliance.ts';
import { colorsWanted, formatCheckLine, formatHeader, formatSummary, painter, type Paint } from './console.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, type PartialRun, type TargetInfo } from './model.ts';
import { writeAll } from './write.ts';

interface Options {
  outputDir?: string;
  /** print the header, a line per check and the summary (default true) */
  console?: boolean;
}

const LEVELS: Level[] = ['MUST', 'SHOULD', 'MAY'];

export default class ComplianceReporter implements Reporter {
  private readonly outputDir: string;
  private readonly console: boolean;
  private readonly paint: Paint;
  private readonly results = new Map<string, CheckResult>();
  private target: TargetInfo | undefined;
  private selected = 0;
  private globalErrors = 0;

  constructor(options: Options = {}) {
    this.outputDir = path.resolve(options.outputDir ?? reportDirFromEnv());
    this.console = options.console ?? true;
    this.paint = painter(colorsWanted());
  }

  printsToStdio(): boolean {
    return this.console;
  }

  onConfigure(_config: FullConfig): void {
    // The key the global setup may export is redacted from everything printed or written.
    registerSecret(process.env.API_KEY || process.env.OPENAI_API_KEY);
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.selected = suite.allTests().length;
    registerSecret(process.env.API_KEY || process.env.OPENAI_API_KEY);
    if (this.console && process.env.OAI_COMPAT_RESOLVED_MODEL) this.print(redactText(formatHeader(this.header(), this.paint)));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // Recent Playwright keeps annotations on the result; older ones only on the test case.
    const annotations = [...(result.annotations ?? []), ...test.annotations];
    const own = annotations.find((a) => a.type === RESULT_ANNOTATION);
    const check = own?.description ? boundResult(redactJson(JSON.parse(own.description) as CheckResult)) : resultWithoutAnnotation(test, result);
    if (!check) return;
    markFailure(result, check);
    this.results.set(check.id, check);
    const target = annotations.find((a) => a.type === TARGET_ANNOTATION);
    if (target?.description && !this.target) this.target = redactJson(JSON.parse(target.description) as TargetInfo);
    if (this.console) this.print(`${redactText(formatCheckLine(check, this.paint))}\n`);
  }

  onStdOut(chunk: string | Buffer): void {
    if (this.console) this.print(redactText(chunk.toString()));
  }

  onStdErr(chunk: string | Buffer): void {
    if (this.console) process.stderr.write(redactText(chunk.toString()));
  }

  onError(error: TestError): void {
    this.globalErrors++;
    if (this.console) process.stderr.write(`${redactText(stripAnsi(error.stack ?? error.message ?? String(error.value)))}\n`);
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    // Nothing ran (`--list`, a filter that matched no check): keep the previous report.
    if (this.results.size === 0) return undefined;
    registerSecret(process.env.API_KEY || process.env.OPENAI_API_KEY);
    const report = buildReport({
      results: [...this.results.values()],
      target: this.target ?? this.targetFromEnv(),
      startedAt: result.startTime,
      durationMs: result.duration,
    });
    const partial = this.partial(result, report.checks.length);
    if (partial) report.partial = partial;
    writeAll(report, this.outputDir);
    if (this.console) this.print(redactText(formatSummary({ report, reportDir: this.outputDir, written: true }, this.paint)));
    // An interrupted run keeps Playwright's status (exit code 130), whatever was judged before.
    if (result.status === 'interrupted' || result.status === 'timedout') return undefined;
    const mustFailed = report.checks.some((c) => c.level === 'MUST' && c.verdict === 'FAIL');
    if (mustFailed) return { status: 'failed' };
    // Failed tests that are not MUST failures (a SHOULD check that crashed is reported as a WARN)
    // do not fail the run; errors outside the tests still do.
    if (result.status === 'failed' && this.globalErrors === 0) return { status: 'passed' };
    return undefined;
  }

  private print(text: string): void {
    process.stdout.write(text);
  }

  /** Why this report covers fewer checks than the suite has, if it does. */
  private partial(result: FullResult, judged: number): PartialRun | undefined {
    const reasons = filterReasons(process.argv);
    const interrupted = result.status === 'interrupted' || result.status === 'timedout';
    if (interrupted) reasons.push(result.status === 'interrupted' ? 'interrupted (Ctrl-C or a signal) before every check finished' : 'stopped by the global timeout');
    const filtered = this.selected > 0 && this.selected < allChecks.length;
    if (filtered && reasons.length === (interrupted ? 1 : 0)) reasons.unshift(`${this.selected} of ${allChecks.length} checks selected`);
    if (!filtered && !interrupted && judged >= allChecks.length) return undefined;
    if (reasons.length === 0) reasons.push(`${allChecks.length - judged} checks reported no result`);
    return { checksInSuite: allChecks.length, checksJudged: judged, reasons, interrupted };
  }

  private header() {
    const config = loadConfig();
    // core and errors are always judged; the rest as the one claims rule says
    const judged = CAPABILITIES.filter((c) => c !== 'core' && c !== 'errors');
    const claimed = judged.filter((c) => claims(config, c) === true);
    const notClaimed = judged.filter((c) => claims(config, c) === false);
    const probed = judged.filter((c) => claims(config, c) === undefined);
    return {
      version: PACKAGE_VERSION,
      target: this.targetFromEnv().baseUrl,
      mock: config.mock,
      model: process.env.OAI_COMPAT_RESOLVED_MODEL ?? '',
      modelSource: process.env.MODEL ? 'MODEL' : config.profile.model ? 'from the profile' : 'the first of GET /models',
      profile: config.profilePath,
      profileName: config.profile.name,
      claimed,
      notClaimed,
      probed,
      auth: config.profile.auth.style,
      keyEnv: config.apiKey ? process.env.OAI_COMPAT_KEY_ENV || 'API_KEY' : undefined,
      checks: this.selected,
      checksInSuite: allChecks.length,
      workers: workersFromEnv(),
      reportDir: this.outputDir,
      preflightMs: process.env.OAI_COMPAT_PREFLIGHT_MS ? Number(process.env.OAI_COMPAT_PREFLIGHT_MS) : undefined,
    };
  }

  /** The target as the run's environment says (the runner process, after the global setup). */
  private targetFromEnv(): TargetInfo {
    try {
      const config = loadConfig();
      const model = process.env.OAI_COMPAT_RESOLVED_MODEL ?? config.model ?? '(not resolved)';
      return redactJson({ baseUrl: config.baseUrl ? displayBaseUrl(config) : '(not set)', model, profile: config.profilePath ?? config.profile.name, auth: config.profile.auth.style, mock: config.mock });
    } catch {
      return { baseUrl: '(not set)', model: '(not resolved)', profile: '(none)', auth: 'bearer', mock: false };
    }
  }
}

/** A FAIL verdict as a failed Playwright test, so that Playwright's own reports and exit code agree. */
function markFailure(result: TestResult, check: CheckResult): void {
  if (check.verdict !== 'FAIL' || result.status !== 'passed') return;
  const error: TestError = { message: `${check.id} [${check.level}] FAIL: ${check.message}\n  requirement: "${check.requirement}"\n  re-run: ${check.rerun}` };
  result.status = 'failed';
  result.errors.push(error);
  result.error = error;
}

/** The filters on Playwright's command line that make a run partial. */
export function filterReasons(argv: string[]): string[] {
  const reasons: string[] = [];
  const at = argv.indexOf('test');
  if (at < 0) return reasons;
  const args = argv.slice(at + 1);
  const valued = new Set(['-c', '--config', '--output', '--reporter', '-j', '--workers', '--timeout', '--retries', '--repeat-each', '--max-failures', '--trace', '--global-timeout', '--project', '--tsconfig', '--update-snapshots', '-u', '--update-source-method']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '-g' || a === '--grep' || a.startsWith('--grep=')) reasons.push(`--grep ${value()}`);
    else if (a === '--grep-invert' || a.startsWith('--grep-invert=')) reasons.push(`--grep-invert ${value()}`);
    else if (a === '--shard' || a.startsWith('--shard=')) reasons.push(`--shard ${value()}`);
    else if (a === '--last-failed' || a === '--only-changed' || a.startsWith('--only-changed=')) reasons.push(a);
    else if (valued.has(a)) i++;
    else if (!a.startsWith('-')) reasons.push(`files matching ${a}`);
  }
  return reasons;
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
  const crashed = result.status === 'failed' || result.status === 'timedOut';
  const message =
    result.status === 'interrupted'
      ? 'not judged: the run was interrupted while this check ran'
      : crashed
        ? `the check could not complete: its test ended ${result.status} without recording a result${reason ? `: ${reason}` : ''}`
        : `not run (test ${result.status})${reason ? `: ${reason}` : ''}`;
  return {
    id: match[1],
    title: match[2],
    level,
    capability,
    requirement: '(not recorded: the check did not complete)',
    verdict: crashed ? (level === 'MUST' ? 'FAIL' : 'WARN') : 'SKIP',
    message,
    durationMs: Math.round(result.duration),
    rerun: rerunFromEnv(match[1]),
    fault: '',
  };
}

/** The re-run command for a check without a recorded result, from the run's environment. */
function rerunFromEnv(id: string): string {
  try {
    const config = loadConfig();
    return redactText(rerunCommand(id, rerunContext(config, process.env.OAI_COMPAT_RESOLVED_MODEL ?? config.model ?? '')));
  } catch {
    return `npx playwright test -g "${id}:"`;
  }
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
