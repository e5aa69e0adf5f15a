// CORS, for clients in a browser page: the preflight (OPTIONS) answer, and the headers every answer
// to a request with an Origin carries.
import { errorPlan } from './respond.ts';
import { allowedMethods } from './routes.ts';
import type { MockRequest, ResponsePlan } from './types.ts';

const ALLOW_HEADERS =
  'authorization, api-key, content-type, x-mock-scenario, x-mock-fault, x-mock-session, x-mock-ttft-ms, x-mock-chunk-delay-ms, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout, openai-organization, openai-project';

/** OPTIONS: 204 with the methods the path allows (withCors adds the rest for a browser), or 404. */
export function preflightPlan(req: MockRequest): ResponsePlan {
  const allow = allowedMethods(req.path);
  if (!allow) return errorPlan(404, `Invalid URL (${req.method} ${req.path})`, 'invalid_request_error');
  return { status: 204, headers: { allow: [...allow, 'OPTIONS'].join(', ') }, writes: [], ending: 'end', scenario: 'options', faults: [] };
}

/** The plan with the CORS headers for `origin` (and, on a preflight's 204, what it allows). */
export function withCors(plan: ResponsePlan, origin: string): ResponsePlan {
  const headers: Record<string, string> = {
    ...plan.headers,
    'access-control-allow-origin': origin && origin !== 'null' ? origin : '*',
    'access-control-expose-headers': '*',
    vary: 'origin',
  };
  if (plan.status === 204) {
    headers['access-control-allow-methods'] = headers.allow ?? 'GET, POST, OPTIONS';
    headers['access-control-allow-headers'] = ALLOW_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  return { ...plan, headers };
}
