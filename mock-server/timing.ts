// Delays: the synthesizer's time to first token and gap between chunks, and a fixture's recorded
// delays, all scaled by the server-wide speed (1 = as recorded, 0 = none); the per-request headers
// `x-mock-ttft-ms` and `x-mock-chunk-delay-ms` set them in milliseconds, unscaled.
import { refusal } from './respond.ts';
import type { Refusal } from './types.ts';

export interface TimingDefaults {
  /** synthesized streams and answers: ms before the first event (at speed 1) */
  ttftMs: number;
  /** synthesized streams: ms between events (at speed 1) */
  chunkDelayMs: number;
}

export const DEFAULT_TIMING: TimingDefaults = { ttftMs: 20, chunkDelayMs: 5 };

export interface RequestTiming {
  speed: number;
  ttftOverride?: number;
  gapOverride?: number;
}

const MAX_DELAY = 600_000;

function readMs(headers: Record<string, string>, name: string): number | undefined | Refusal {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > MAX_DELAY) {
    return refusal(400, `Invalid value for header ${name}: ${JSON.stringify(String(raw).slice(0, 50))}; expected milliseconds from 0 to ${MAX_DELAY}.`, 'invalid_request_error', name, 'invalid_value');
  }
  return v;
}

/** the timing of requests without timing headers, per speed (shared: never changed) */
const plainTimings = new Map<number, RequestTiming>();

export function requestTiming(headers: Record<string, string>, speed: number): RequestTiming | Refusal {
  if (headers['x-mock-ttft-ms'] === undefined && headers['x-mock-chunk-delay-ms'] === undefined) {
    let plain = plainTimings.get(speed);
    if (!plain) plainTimings.set(speed, (plain = Object.freeze({ speed })));
    return plain;
  }
  const t: RequestTiming = { speed };
  const ttft = readMs(headers, 'x-mock-ttft-ms');
  if (typeof ttft === 'object') return ttft;
  const gap = readMs(headers, 'x-mock-chunk-delay-ms');
  if (typeof gap === 'object') return gap;
  if (ttft !== undefined) t.ttftOverride = ttft;
  if (gap !== undefined) t.gapOverride = gap;
  return t;
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && 'body' in x && 'status' in x;
}

export function hasOverride(t: RequestTiming): boolean {
  return t.ttftOverride !== undefined || t.gapOverride !== undefined;
}

/** The synthesizer's delays for this request. */
export function synthDelays(t: RequestTiming, d: TimingDefaults): { ttft: number; gap: number } {
  return { ttft: t.ttftOverride ?? d.ttftMs * t.speed, gap: t.gapOverride ?? d.chunkDelayMs * t.speed };
}
