// The report's own model: the compliance report format (oai-compat-report/1) and the annotations
// that carry results through Playwright. A check's result travels inside the Playwright test result as
// an annotation (type RESULT_ANNOTATION, description = JSON of CheckResult, see lib/results.ts), and the
// run's target likewise (TARGET_ANNOTATION), so that one reporter builds every output from a single,
// sharded or merged run.
import type { CheckResult, Level, Verdict } from '../lib/results.ts';

export const RESULT_ANNOTATION = 'oai-compat.result';
export const TARGET_ANNOTATION = 'oai-compat.target';
/** a one-line verdict for people reading Playwright's own report */
export const VERDICT_ANNOTATION = 'oai-compat.verdict';
export const REPORT_FORMAT = 'oai-compat-report/1';

export interface TargetInfo {
  /** never with credentials */
  baseUrl: string;
  model: string;
  profile: string;
  auth: string;
  mock: boolean;
}

/** Present when a run judged fewer checks than the suite has: filtered (--grep, --shard, a file) or interrupted. */
export interface PartialRun {
  checksInSuite: number;
  /** checks with a verdict in this report */
  checksJudged: number;
  /** why: "--grep core.", "--shard 1/2", "interrupted (Ctrl-C)", ... */
  reasons: string[];
  interrupted: boolean;
}

export interface ComplianceReport {
  format: typeof REPORT_FORMAT;
  tool: { name: 'oai-compat'; version: string };
  target: TargetInfo;
  startedAt: string;
  durationMs: number;
  summary: Record<Verdict, number> & {
    total: number;
    byLevel: Record<Level, { total: number; passed: number }>;
    byCapability: Record<string, Partial<Record<Verdict, number>>>;
  };
  checks: CheckResult[];
  /** absent for a complete run */
  partial?: PartialRun;
}
