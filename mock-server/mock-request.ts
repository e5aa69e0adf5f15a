// The engine's MockRequest from what any transport holds: node:http (standalone.ts) and the msw
// handlers (msw-handlers.ts) both come through here, so a request reads the same to the engine
// whichever way it arrived.
import type { MockRequest } from './types.ts';

/** shared by requests without a query string (never changed) */
const NO_QUERY = new URLSearchParams();

/**
 * `target` is the request target as the client sent it (a path with its query, as node:http gives
 * it) or an absolute URL (as fetch gives it); `headers` have lower-case names; `body` is the raw body.
 */
export function toMockRequest(method: string, target: string, headers: Record<string, string>, body: Uint8Array): MockRequest {
  let url = target;
  if (!url.startsWith('/')) {
    try {
      const u = new URL(url);
      url = u.pathname + u.search;
    } catch {
      url = '/';
    }
  }
  const q = url.indexOf('?');
  return {
    method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? NO_QUERY : new URLSearchParams(url.slice(q + 1)),
    headers,
    body,
  };
}
