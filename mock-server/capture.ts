// What the recorder takes from a real endpoint, in both modes (recorder.ts, recording-proxy.ts): the
// status, a few interesting headers (redacted), and every network read's exact bytes with the delay
// before it. Credentials are sent, never kept.
import { redactText, registerSecret, SECRET_HEADERS } from '../lib/redact.ts';

export type RecordAuth = 'bearer' | 'azure' | 'none';

/** Response headers worth keeping in a fixture; everything else (cookies, org ids, CDN noise) is dropped. */
const KEEP_HEADERS = [
  /^content-type$/,
  /^retry-after(-ms)?$/,
  /^x-ratelimit-/,
  /^x-request-id$/,
  /^request-id$/,
  /^apim-request-id$/,
  /^openai-processing-ms$/,
  /^openai-version$/,
  /^x-ms-region$/,
  /^cache-control$/,
  /^server$/,
  // the server's clock when it answered: `created` is judged against it, never against the replay's day
  /^date$/,
];

export function keptHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (SECRET_HEADERS.has(name)) continue;
    if (!KEEP_HEADERS.some((re) => re.test(name))) continue;
    out[name] = redactText(String(value));
  }
  return out;
}

/** One captured answer: status, kept headers, and the body as timed reads. */
export interface Capture {
  status: number;
  headers: Record<string, string>;
  /** every network read with its delay (ms since the previous read, the first since the request started) */
  reads: { delay: number; bytes: Uint8Array }[];
}

export interface RecordTarget {
  /** base URL of the API, e.g. https://api.openai.com/v1 (chat/completions is appended) */
  target: string;
  /** the API key (env API_KEY); never written anywhere */
  apiKey?: string;
  /** bearer (Authorization: Bearer KEY, the default), azure (api-key: KEY) or none */
  auth?: RecordAuth;
  /** extra request headers (e.g. x-mock-scenario); never written */
  headers?: Record<string, string>;
}

/** TARGET/chat/completions */
export function chatUrl(target: string): string {
  const u = new URL(target);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/chat/completions`;
  return u.toString();
}

/** The credential headers for the target (the key is registered as a secret first). */
export function authHeaders(t: RecordTarget): Record<string, string> {
  const key = t.apiKey;
  if (!key || t.auth === 'none') return {};
  registerSecret(key);
  return t.auth === 'azure' ? { 'api-key': key } : { authorization: `Bearer ${key}` };
}

/** Read a fetch body to its end, timing every read. Throws if the signal fires or the connection breaks. */
export async function captureBody(body: ReadableStream<Uint8Array> | null, startedAt: number, onRead?: (bytes: Uint8Array) => void) {
  const reads: Capture['reads'] = [];
  if (!body) return reads;
  const reader = body.getReader();
  let last = startedAt;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      reads.push({ delay: Math.max(0, Math.round(now - last)), bytes: value });
      last = now;
      onRead?.(value);
    }
  } finally {
    reader.releaseLock();
  }
  return reads;
}
