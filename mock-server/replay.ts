// Fixture replay. Each fixture's bytes are computed once at load (and its writes scaled for the
// server-wide speed), so a replay costs one small object per request. With a structured fault
// (completion/events hooks or an event-aligned plan hook) the fixture is parsed into its JSON
// body or its SSE events instead, and those are re-framed after the hooks.
import { fixtureBytes, type Fixture } from '../lib/fixture-format.ts';
import { parseSseText } from '../lib/sse.ts';
import { EMPTY, HOP_HEADERS, concatBytes, utf8 } from './respond.ts';
import type { RequestTiming } from './timing.ts';
import type { Completion, PlannedWrite, ResponsePlan, StreamEvent } from './types.ts';

export interface ReplayTemplate {
  id: string;
  status: number;
  headers: Record<string, string>;
  stream: boolean;
  /** recorded delays (ms), unscaled; stream writes only */
  recorded: { delay: number; bytes: Uint8Array }[];
  /** the writes at the engine's speed, shared by every replay without timing overrides */
  writes: PlannedWrite[];
  /** non-stream: the body bytes */
  body?: Uint8Array;
}

function cleanHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (!HOP_HEADERS.has(name)) out[name] = String(v);
  }
  return out;
}

export function buildTemplate(fixture: Fixture, speed: number): ReplayTemplate {
  const r = fixture.response;
  const headers = cleanHeaders(r.headers);
  if (!headers['content-type']) headers['content-type'] = r.writes ? 'text/event-stream; charset=utf-8' : 'application/json';
  if (Array.isArray(r.writes)) {
    const recorded = r.writes.map((w) => ({ delay: Math.max(0, Number(w.delay) || 0), bytes: fixtureBytes(w) }));
    const t: ReplayTemplate = { id: fixture.id, status: r.status, headers, stream: true, recorded, writes: [] };
    t.writes = scaleWrites(t, { speed });
    return t;
  }
  const body = r.raw !== undefined ? utf8(r.raw) : r.body === undefined ? new Uint8Array(0) : utf8(JSON.stringify(r.body));
  headers['content-length'] = String(body.byteLength);
  return { id: fixture.id, status: r.status, headers, stream: false, recorded: [], writes: [{ delayMs: 0, bytes: body }], body };
}

/** The writes of a stream template at a speed, with the per-request overrides. */
export function scaleWrites(t: ReplayTemplate, timing: RequestTiming): PlannedWrite[] {
  if (!t.stream) {
    const delay = timing.ttftOverride ?? 0;
    return [{ delayMs: delay, bytes: t.body ?? EMPTY }];
  }
  const writes: PlannedWrite[] = [{ delayMs: 0, bytes: EMPTY }];
  t.recorded.forEach((w, i) => {
    const delayMs = i === 0 ? (timing.ttftOverride ?? w.delay * timing.speed) : (timing.gapOverride ?? w.delay * timing.speed);
    writes.push({ delayMs, bytes: w.bytes });
  });
  return writes;
}

export function replayPlan(t: ReplayTemplate, timing: RequestTiming, useShared: boolean): ResponsePlan {
  return {
    status: t.status,
    headers: t.headers,
    writes: useShared ? t.writes : scaleWrites(t, timing),
    ending: 'end',
    scenario: t.id,
    faults: [],
    recorded: true,
  };
}

/** A stream fixture as events, with the delays to frame them (first event, then each later one). */
export function fixtureEvents(t: ReplayTemplate, timing: RequestTiming): { events: StreamEvent[]; ttft: number; gap: number } {
  const text = new TextDecoder().decode(concatBytes(t.recorded.map((w) => w.bytes)));
  const parsed = parseSseText(text);
  const events: StreamEvent[] = parsed.comments.map((c) => ({ kind: 'comment', text: c.replace(/^ /, '') }));
  for (const e of parsed.events) {
    const data = e.data;
    if (data.trim() !== '[DONE]' && data.trimStart().startsWith('{')) {
      try {
        events.push({ kind: 'chunk', chunk: JSON.parse(data) });
        continue;
      } catch {
        // not JSON: kept as it is
      }
    }
    events.push({ kind: 'data', data });
  }
  const delays = t.recorded.map((w) => w.delay);
  const first = delays[0] ?? 0;
  const rest = delays.slice(1);
  const mean = rest.length > 0 ? rest.reduce((a, b) => a + b, 0) / rest.length : 0;
  return {
    events,
    ttft: timing.ttftOverride ?? first * timing.speed,
    gap: timing.gapOverride ?? mean * timing.speed,
  };
}

/** A non-stream fixture's body as JSON, when it is JSON. */
export function fixtureCompletion(t: ReplayTemplate): Completion | undefined {
  if (t.stream || !t.body) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(t.body));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
