// Auth: with a required key, `Authorization: Bearer KEY` or Azure's `api-key: KEY` must carry it.
import { refusal } from './respond.ts';
import type { Refusal } from './types.ts';

const encoder = new TextEncoder();

/** Equal keys, compared in constant time for equal lengths (no node:crypto: the engine also runs in a browser). */
function same(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

function mask(key: string): string {
  if (key.length <= 8) return '****';
  return `${key.slice(0, 3)}****${key.slice(-4)}`;
}

/** null when the request may pass; else the 401 to send. */
export function checkAuth(headers: Record<string, string>, requireKey: string | undefined): Refusal | null {
  if (!requireKey) return null;
  const authorization = headers['authorization'];
  const apiKey = headers['api-key'];
  let given: string | undefined;
  if (typeof authorization === 'string' && authorization.length > 0) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    given = m ? m[1].trim() : authorization.trim();
  }
  if ((given === undefined || !same(given, requireKey)) && typeof apiKey === 'string' && apiKey.length > 0) {
    given = apiKey.trim();
  }
  if (given === undefined || given.length === 0) {
    return refusal(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the api-key header.",
      'invalid_request_error',
      null,
      'invalid_api_key',
      'auth',
    );
  }
  if (!same(given, requireKey)) {
    return refusal(401, `Incorrect API key provided: ${mask(given)}.`, 'invalid_request_error', null, 'invalid_api_key', 'auth');
  }
  return null;
}
