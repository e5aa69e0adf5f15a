// Keeps a check's result small whatever the endpoint sent, so that a report is always written and
// stays readable: a 200,000-event stream becomes a gap summary and a few hundred bars, a 50 MB body a
// few thousand characters, a hundred exchanges the first and last few. Applied before a result is
// handed to Playwright (suites/runner/playwright.ts) and again by the reporter (merged blobs).
import type { CheckResult, Evidence, EvidenceExchange, Timings } from '../lib/results.ts';
import { percentile } from './summary.ts';

export const LIMITS = {
  /** characters of a response body kept as evidence */
  bodyChars: 4000,
  /** characters of any one string in a request body or in notes */
  stringChars: 2000,
  /** characters of a check's message */
  messageChars: 8000,
  /** bars in a stream's gap chart */
  gapBars: 240,
  /** exchanges kept per check */
  exchanges: 12,
  /** characters of a check's notes as JSON */
  notesChars: 16_000,
};

export function boundResult(result: CheckResult): CheckResult {
  const out: CheckResult = { ...result, message: trimText(result.message, LIMITS.messageChars) };
  if (result.evidence) out.evidence = boundEvidence(result.evidence);
  return out;
}

function boundEvidence(evidence: Evidence): Evidence {
  let exchanges = evidence.exchanges ?? [];
  let omitted = evidence.omittedExchanges ?? 0;
  if (exchanges.length > LIMITS.exchanges) {
    const head = Math.ceil(LIMITS.exchanges / 2);
    const tail = LIMITS.exchanges - head;
    omitted += exchanges.length - LIMITS.exchanges;
    exchanges = [...exchanges.slice(0, head), ...exchanges.slice(-tail)];
  }
  const out: Evidence = { exchanges: exchanges.map(boundExchange) };
  if (omitted) out.omittedExchanges = omitted;
  if (evidence.notes) {
    const notes = trimStrings(evidence.notes, LIMITS.stringChars) as Record<string, unknown>;
    const text = JSON.stringify(notes) ?? '';
    out.notes = text.length > LIMITS.notesChars ? { trimmed: `${text.slice(0, LIMITS.notesChars)}… (${text.length} characters of notes)` } : notes;
  }
  return out;
}

function boundExchange(x: EvidenceExchange): EvidenceExchange {
  const out: EvidenceExchange = { ...x, request: { ...x.request } };
  if (x.request?.body !== undefined) out.request.body = trimStrings(x.request.body, LIMITS.stringChars);
  const raw = (x.request as { rawBody?: unknown })?.rawBody;
  if (typeof raw === 'string') (out.request as { rawBody?: string }).rawBody = trimText(raw, LIMITS.stringChars);
  if (x.response && x.response.body.length > LIMITS.bodyChars) {
    out.response = { ...x.response, body: `${x.response.body.slice(0, LIMITS.bodyChars)}…`, truncated: true };
  }
  if (x.error) out.error = trimText(x.error, LIMITS.stringChars);
  if (x.timings) out.timings = boundTimings(x.timings);
  return out;
}

/** Long gap lists become one bar per run of events (its largest gap) plus statistics of all gaps. */
export function boundTimings(t: Timings): Timings {
  const gaps = t.gapsMs ?? [];
  if (gaps.length <= LIMITS.gapBars || t.gapSummary) return t;
  const perBar = Math.ceil(gaps.length / LIMITS.gapBars);
  const bars: number[] = [];
  let max = 0;
  for (let i = 0; i < gaps.length; i += perBar) {
    let barMax = 0;
    for (let j = i; j < Math.min(i + perBar, gaps.length); j++) if (gaps[j] > barMax) barMax = gaps[j];
    bars.push(barMax);
    if (barMax > max) max = barMax;
  }
  return {
    ...t,
    gapsMs: bars,
    gapSummary: { count: gaps.length, perBar, medianMs: percentile(gaps, 50)!, p95Ms: percentile(gaps, 95)!, maxMs: max },
  };
}

function trimText(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor(max / 4);
  return `${text.slice(0, max - tail)} … ${text.slice(-tail)} (${text.length} characters)`;
}

/** A copy of a JSON value with every long string trimmed (our own requests and notes: shallow data). */
function trimStrings(value: unknown, max: number, depth = 0): unknown {
  if (typeof value === 'string') return trimText(value, max);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => trimStrings(v, max, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimStrings(v, max, depth + 1)]));
}
