// The result model. A check's result travels inside the Playwright test result as an annotation
// (type RESULT_ANNOTATION, description = JSON of CheckResult), and the run's target likewise
// (TARGET_ANNOTATION), so that one reporter builds every output from a single, sharded or merged run.

export const RESULT_ANNOTATION = 'oai-compat.result';
export const TARGET_ANNOTATION = 'oai-compat.target';
/** a one-line verdict for people reading Playwright's own report */
export const VERDICT_ANNOTATION = 'oai-compat.verdict';
export const REPORT_FORMAT = 'oai-compat-report/1';

export type Level = 'MUST' | 'SHOULD' | 'MAY';
export type Verdict = 'PASS' | 'FAIL' | 'WARN' | 'UNSUPPORTED' | 'IGNORED' | 'SKIP' | 'INFO' | 'KNOWN';
export const VERDICTS: Verdict[] = ['PASS', 'FAIL', 'WARN', 'UNSUPPORTED', 'IGNORED', 'SKIP', 'INFO', 'KNOWN'];

export interface EvidenceExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: {
    status: number;
    headers: Record<string, string>;
    /** trimmed body text (JSON or SSE), secrets removed */
    body: string;
    truncated?: boolean;
  };
  /** network-level failure: timeout, reset, invalid UTF-8 */
  error?: string;
  timings?: Timings;
}

export interface Timings {
  /** ms from request start to response headers */
  headersMs?: number;
  /** ms to the first SSE event carrying data (time to first token for streams) */
  ttftMs?: number;
  /** ms from request start to the end of the body */
  totalMs?: number;
  /** gaps between consecutive events, ms (for long streams: the largest gap of each of `gapSummary.buckets` runs of events) */
  gapsMs?: number[];
  events?: number;
  /** a long stream's gaps, summarised from all of them (gapsMs then holds one bar per run of events) */
  gapSummary?: GapSummary;
}

export interface GapSummary {
  /** gaps measured */
  count: number;
  /** consecutive gaps per bar of gapsMs (the bar is their largest) */
  perBar: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface Evidence {
  exchanges: EvidenceExchange[];
  /** exchanges left out of a check's evidence to keep the report small (the first and last are kept) */
  omittedExchanges?: number;
  /** free-form facts the check computed (e.g. the assembled text, the parsed arguments) */
  notes?: Record<string, unknown>;
}

export interface RepeatStats {
  k: number;
  passes: number;
  /** at least one of k passed */
  passAtK: boolean;
  /** all k passed */
  passHatK: boolean;
}

export interface CheckResult {
  id: string;
  title: string;
  level: Level;
  capability: string;
  requirement: string;
  ref?: string;
  verdict: Verdict;
  message: string;
  durationMs: number;
  evidence?: Evidence;
  /** MAY figures, e.g. { ttftMs: 12, meanGapMs: 3 } */
  metrics?: Record<string, number>;
  repeat?: RepeatStats;
  /** the shell command that re-runs just this check */
  rerun: string;
  /** the mock fault that proves this check can fail */
  fault: string;
  /**
   * exchanges of the evidence that were answered earlier in the run for another check (identical
   * protocol requests are sent once): the check's own duration does not include them
   */
  sharedExchanges?: number;
}

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
