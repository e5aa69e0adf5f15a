// What a check concludes, in the words the whole project uses: its level, its verdict, and the
// result it hands to the reporter with the evidence behind it. The runner produces CheckResults, the
// checks declare Levels and Verdicts, and reports/ turns them into the compliance report
// (reports/model.ts holds only what is the report's own: its format and the annotations).

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
