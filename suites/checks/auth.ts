// auth: requests without a key or with a wrong key are refused with 401 and the error envelope
// (Bearer, or Azure's api-key header, as the profile says); a health endpoint may answer without a key.
// Auth is claimed like a capability (gates.authNotJudged, gates.authFinding): not judged without a key
// unless claimed; a key problem FAILs only when the profile claims auth, otherwise it is a WARN.
import { authFinding, authNotJudged } from './gates.ts';
import { errorSummary, show } from './stream-helpers.ts';
import type { Check, CheckContext, Exchange, Finding, RequestSpec } from './types.ts';
import { chat, errorEnvelope } from './validators.ts';

const CHAT_NO_KEY: RequestSpec = { body: chat('Say hello.', { max_tokens: 16 }), auth: 'none' };
const CHAT_WRONG_KEY: RequestSpec = { body: chat('Say hello.', { max_tokens: 16 }), auth: 'wrong' };

/** 401 with the envelope; 403 holds leniently. */
function unauthorized(x: Exchange, ctx: CheckContext, out: { notes: Record<string, unknown>; metrics: Record<string, number> }, what: string): Finding | undefined {
  out.notes.error = errorSummary(x);
  if (x.status === 0) return `${what}: no usable response (${x.error})`;
  if (x.status >= 200 && x.status < 300) return `${what} was answered with HTTP ${x.status}: the endpoint serves requests without valid credentials`;
  if (x.status !== 401 && x.status !== 403) return `${what} was answered with HTTP ${x.status}, not 401`;
  const envelope = errorEnvelope(x, ctx, out);
  if (envelope) return envelope;
  if (x.status === 403) return { lenient: `${what} was refused with 403 and the error envelope, not 401 (the SDKs raise PermissionDenied, not Authentication errors)` };
}

export const authChecks: Check[] = [
  {
    id: 'auth.missing-key',
    level: 'MUST',
    capability: 'auth',
    when: authNotJudged,
    title: 'A request without a key is refused with 401',
    requirement: 'A request without credentials "must be refused with 401 and the OpenAI error envelope".',
    fault: 'auth.accept-missing-key',
    async run(ctx, out) {
      const x = await ctx.send(CHAT_NO_KEY);
      return authFinding(ctx, unauthorized(x, ctx, out, 'a chat request without a key'));
    },
  },
  {
    id: 'auth.wrong-key',
    level: 'MUST',
    capability: 'auth',
    when: authNotJudged,
    title: 'A request with a wrong key is refused with 401',
    requirement: 'A request with a wrong key "must be refused with 401 and the OpenAI error envelope".',
    fault: 'auth.accept-any-key',
    async run(ctx, out) {
      const x = await ctx.send(CHAT_WRONG_KEY);
      return authFinding(ctx, unauthorized(x, ctx, out, 'a chat request with a wrong key'));
    },
  },
  {
    id: 'auth.wrong-key-code',
    level: 'SHOULD',
    capability: 'auth',
    when: authNotJudged,
    title: 'A wrong key is reported with code invalid_api_key',
    requirement: 'The 401 for a wrong key "should carry error.code invalid_api_key" (as OpenAI does), so clients can tell it from other failures.',
    fault: 'auth.no-error-code',
    async run(ctx, out) {
      const x = await ctx.send(CHAT_WRONG_KEY);
      const e = errorSummary(x);
      out.notes.error = e;
      if (x.status !== 401 && x.status !== 403) return { skip: `prerequisite failed: a wrong key was answered with HTTP ${x.status || 'no response'} (see auth.wrong-key)` };
      if (e.code !== 'invalid_api_key') return `the ${x.status} for a wrong key has error.code ${show(e.code)}, not "invalid_api_key"`;
    },
  },
  {
    id: 'auth.models-require-key',
    level: 'SHOULD',
    capability: 'auth',
    when: authNotJudged,
    title: 'GET /models without a key is refused with 401',
    requirement: 'GET /models without credentials "should be refused with 401" like every other API path (OpenAI does; an open list leaks what is deployed).',
    fault: 'auth.models-open',
    async run(ctx, out) {
      const x = await ctx.send({ method: 'GET', path: '/models', auth: 'none' });
      return unauthorized(x, ctx, out, 'GET /models without a key');
    },
  },
  {
    id: 'auth.health-open',
    level: 'MAY',
    capability: 'auth',
    when: authNotJudged,
    title: 'A health endpoint answers without a key',
    requirement: 'A /health endpoint "may answer 2xx without credentials" so that load balancers and probes can use it.',
    fault: 'auth.health-requires-key',
    async run(ctx, out) {
      // Beside the API (BASE_URL/health, as the mock serves it) or at the server's root (vLLM, llama.cpp, TGI).
      const tried: string[] = [];
      for (const path of ['/health', '/../health']) {
        const x = await ctx.send({ method: 'GET', path, auth: 'none' });
        tried.push(`${new URL(x.request.url).pathname}: ${x.status || x.error}`);
        if (x.status >= 200 && x.status < 300) {
          out.metrics.healthMs = Math.round(x.timings.totalMs * 10) / 10;
          out.notes.health = new URL(x.request.url).pathname;
          return undefined;
        }
      }
      return `no health endpoint answered 2xx without a key (${tried.join('; ')})`;
    },
  },
];
