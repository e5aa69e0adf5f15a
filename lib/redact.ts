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

/**
 * Query-parameter names whose values are credentials (Azure's `api-key`, Google's `key`, SAS `sig`,
 * OAuth's `code` and `access_token`, ...). The one list for URLs, the mock's journal and logs.
 */
export const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'api-key',
  'api_key',
  'apikey',
  'key',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth',
  'authorization',
  'code',
  'sig',
  'signature',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'credential',
]);

/** A secret query parameter: its name, or its last word (`x-api-key`, `subscription_key`, `accessToken`), is in the list. */
export function isSecretQueryParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_QUERY_PARAMS.has(lower)) return true;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[-_.\s]+/);
  return SECRET_QUERY_PARAMS.has(words[words.length - 1]);
}

/** Query parameters as a record, secret ones redacted, the others' values passed through redactText. */
export function redactQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query) out[name] = isSecretQueryParam(name) ? REDACTED : redactText(value);
  return out;
}

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
      if (isSecretQueryParam(name)) u.searchParams.set(name, REDACTED);
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

/** JSON keys whose values are credentials. */
function isSecretKey(key: string): boolean {
  return SECRET_HEADERS.has(key.toLowerCase()) || /^(api_?key|secret|password)$/i.test(key);
}

/** How deep redactJson copies; deeper values become a marker, so that the copy can always be serialised. */
export const MAX_JSON_DEPTH = 1000;

/**
 * Deep-copy a JSON value with every string redacted and secret-named keys blanked. Iterative (any
 * depth is safe to walk); values nested deeper than `maxDepth` are replaced by a marker string.
 */
export function redactJson<T>(value: T, maxDepth = MAX_JSON_DEPTH): T {
  const copy = (v: unknown): unknown => (typeof v === 'string' ? redactText(v) : Array.isArray(v) ? [] : v && typeof v === 'object' ? {} : v);
  const root = copy(value);
  // each pending entry: a source container, its copy, and its depth
  const stack: { from: unknown; to: any; depth: number }[] = [];
  if (root !== null && typeof root === 'object') stack.push({ from: value, to: root, depth: 1 });
  while (stack.length > 0) {
    const { from, to, depth } = stack.pop()!;
    const entries: [string | number, unknown][] = Array.isArray(from) ? from.map((v, i) => [i, v]) : Object.entries(from as object);
    for (const [k, v] of entries) {
      if (typeof k === 'string' && isSecretKey(k)) {
        to[k] = REDACTED;
        continue;
      }
      if (v !== null && typeof v === 'object' && depth >= maxDepth) {
        to[k] = `[nested deeper than ${maxDepth} levels]`;
        continue;
      }
      const c = copy(v);
      to[k] = c;
      if (c !== null && typeof c === 'object') stack.push({ from: v, to: c, depth: depth + 1 });
    }
  }
  return root as T;
}
