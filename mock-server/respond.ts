// Building plans: JSON answers, OpenAI error envelopes, byte helpers. No I/O.
import type { PlannedWrite, ResponsePlan, Refusal } from './types.ts';

export const JSON_TYPE = 'application/json';
export const SSE_TYPE = 'text/event-stream; charset=utf-8';

export const EMPTY = new Uint8Array(0);

/** UTF-8 bytes of a string (a Buffer: faster than TextEncoder for the small strings of chunks). */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** The OpenAI error envelope. */
export function errorBody(message: string, type: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}

/** A refusal with the envelope (status, message, type, param, code). */
export function refusal(status: number, message: string, type: string, param: string | null, code: string | null, stage?: Refusal['stage'], headers?: Record<string, string>): Refusal {
  const v: Refusal = { status, body: errorBody(message, type, param, code) };
  if (stage) v.stage = stage;
  if (headers) v.headers = headers;
  return v;
}

/** A JSON answer in one write: `body` as JSON.stringify writes it. */
export function jsonPlan(status: number, body: unknown, scenario: string, extraHeaders?: Record<string, string>, delayMs = 0): ResponsePlan {
  return jsonBytesPlan(status, utf8(JSON.stringify(body)), scenario, extraHeaders, delayMs);
}

/** A JSON answer already encoded (utf8(text) for one already serialised), in one write. */
export function jsonBytesPlan(status: number, bytes: Uint8Array, scenario: string, extraHeaders?: Record<string, string>, delayMs = 0): ResponsePlan {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE, 'content-length': String(bytes.byteLength) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  return { status, headers, writes: [{ delayMs, bytes }], ending: 'end', scenario, faults: [] };
}

/** A refusal's answer (a status outside 200-599, which a fault may set, becomes 500). */
export function refusalPlan(v: Refusal, scenario = 'error'): ResponsePlan {
  const status = Number.isInteger(v.status) && v.status >= 200 && v.status <= 599 ? v.status : 500;
  return jsonPlan(status, v.body, scenario, v.headers);
}

/** An error envelope's answer. */
export function errorPlan(status: number, message: string, type: string, param: string | null = null, code: string | null = null, extraHeaders?: Record<string, string>): ResponsePlan {
  return jsonPlan(status, errorBody(message, type, param, code), 'error', extraHeaders);
}

export function totalBytes(writes: PlannedWrite[]): number {
  let n = 0;
  for (const w of writes) n += w.bytes.byteLength;
  return n;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

export function isEventStream(headers: Record<string, string>): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().includes('text/event-stream');
}

/** Headers that describe one hop's framing; a replayed or rewritten plan sets its own. */
export const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'date',
  'upgrade',
  'proxy-connection',
  'trailer',
  'te',
]);

/** Status codes whose responses carry no body. */
export function statusHasNoBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304 || (status >= 100 && status < 200);
}

export function noDelays(writes: PlannedWrite[]): boolean {
  for (const w of writes) if (w.delayMs > 0) return false;
  return true;
}

/**
 * The writes' bytes as one buffer: the one write that has bytes as it is, else a copy of them all,
 * cached per writes array (fixture replays share theirs).
 */
const coalesced = new WeakMap<PlannedWrite[], Uint8Array>();
export function coalesce(writes: PlannedWrite[]): Uint8Array {
  let only: Uint8Array | undefined;
  let count = 0;
  for (const w of writes) {
    if (w.bytes.byteLength === 0) continue;
    only = w.bytes;
    if (++count > 1) break;
  }
  if (count <= 1) return only ?? EMPTY;
  let bytes = coalesced.get(writes);
  if (!bytes) {
    bytes = concatBytes(writes.map((w) => w.bytes));
    coalesced.set(writes, bytes);
  }
  return bytes;
}
