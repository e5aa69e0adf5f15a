// Secrets never leave the process: every header set, URL and text that goes into evidence,
// reports, fixtures or logs passes through here first.

/** Header names whose values are credentials or identify an account. */
export const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'cookie',
  'set-cookie',
  'openai-organization',
  'openai-project',
  'x-goog-api-key',
  'anthropic-api-key',
]);

const SECRET_QUERY = new Set(['api-key', 'api_key', 'key', 'token', 'access_token', 'sig', 'signature', 'code']);

export const REDACTED = '[redacted]';

const registered = new Set<string>();

/** Register a secret value (an API key) so that redactText removes it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

export function redactHeaders(headers: Record<string, string> | Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    out[name.toLowerCase()] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redactText(String(value));
  }
  return out;
}

/** A URL without userinfo and without secret query parameters. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const name of [...u.searchParams.keys()]) {
      if (SECRET_QUERY.has(name.toLowerCase())) u.searchParams.set(name, REDACTED);
    }
    return redactText(u.toString());
  } catch {
    return redactText(url);
  }
}

const KEY_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI-style keys
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** Remove registered secrets and anything shaped like an API key from free text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join(REDACTED);
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, (m) => (m.toLowerCase().startsWith('bearer') ? `Bearer ${REDACTED}` : REDACTED));
  return out;
}

/** Deep-copy a JSON value with every string redacted and secret-named keys blanked. */
export function redactJson<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_HEADERS.has(k.toLowerCase()) || /^(api_?key|secret|password)$/i.test(k) ? REDACTED : redactJson(v);
    }
    return out as T;
  }
  return value;
}
