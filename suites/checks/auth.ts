// auth: requests without a key or with a wrong key are refused with 401 and the error envelope
// (Bearer, or Azure's api-key header, as the profile says); a health endpoint may answer without a key.
// Auth is claimed like a capability: not judged without a key unless claimed (when: authNotJudged);
// a key problem FAILs only when the profile claims auth, otherwise it is a WARN (authFinding).
import { errorSummary } from './support/completion.ts';
import { authFinding, authNotJudged, prerequisite } from './support/gates.ts';
import { AUTHENTICATION, openapi } from './support/refs.ts';
import { chat } from './support/requests.ts';
import { show } from './support/text.ts';
import { errorEnvelope } from './support/validators.ts';
import { checksOf, type CheckDeclaration, type ExchangeCheck, type RequestSpec, type Validator } from './types.ts';

const NO_KEY: RequestSpec = { body: chat('Say hello.', { max_tokens: 16 }), auth: 'none' };
const WRONG_KEY: RequestSpec = { body: chat('Say hello.', { max_tokens: 16 }), auth: 'wrong' };
const MODELS_NO_KEY: RequestSpec = { method: 'GET', path: '/models', auth: 'none' };

/** Refused with 401 and the envelope (403 holds leniently); a problem is a warning unless auth is claimed. */
function unauthorized(what: string): Validator {
  return (x, ctx, out) => {
    out.notes.error = errorSummary(x);
    if (x.status === 0) return authFinding(ctx, `${what}: no usable response (${x.error})`);
    if (x.status >= 200 && x.status < 300) return authFinding(ctx, `${what} was answered with HTTP ${x.status}: the endpoint serves requests without valid credentials`);
    if (x.status !== 401 && x.status !== 403) return authFinding(ctx, `${what} was answered with HTTP ${x.status}, not 401`);
    const envelope = errorEnvelope(x, ctx, out);
    if (envelope) return authFinding(ctx, envelope);
    if (x.status === 403) return { lenient: `${what} was refused with 403 and the error envelope, not 401 (the SDKs raise PermissionDenied, not Authentication errors)` };
  };
}

/** The 401 for a wrong key names it with code invalid_api_key. */
const invalidKeyCode: Validator = (x, _ctx, out) => {
  const e = errorSummary(x);
  out.notes.error = e;
  if (x.status !== 401 && x.status !== 403) return prerequisite(`a wrong key was answered with HTTP ${x.status || 'no response'}`, 'auth.wrong-key');
  if (e.code !== 'invalid_api_key') return `the ${x.status} for a wrong key has error.code ${show(e.code)}, not "invalid_api_key"`;
};

// Requests without valid credentials, one row each; judged only when auth is (see the top).
const ROWS: Omit<ExchangeCheck, 'capability' | 'when'>[] = [
  { id: 'auth.missing-key', level: 'MUST', fault: 'auth.accept-missing-key', ref: AUTHENTICATION, request: NO_KEY, validate: [unauthorized('a chat request without a key')],
    title: 'A request without a key is refused with 401', requirement: 'A request without credentials "must be refused with 401 and the OpenAI error envelope".' },
  { id: 'auth.wrong-key', level: 'MUST', fault: 'auth.accept-any-key', ref: AUTHENTICATION, request: WRONG_KEY, validate: [unauthorized('a chat request with a wrong key')],
    title: 'A request with a wrong key is refused with 401', requirement: 'A request with a wrong key "must be refused with 401 and the OpenAI error envelope".' },
  { id: 'auth.wrong-key-code', level: 'SHOULD', fault: 'auth.no-error-code', ref: openapi('/components/responses/Unauthorized'), request: WRONG_KEY, validate: [invalidKeyCode],
    title: 'A wrong key is reported with code invalid_api_key',
    requirement: 'The 401 for a wrong key "should carry error.code invalid_api_key" (as OpenAI does), so clients can tell it from other failures.' },
  { id: 'auth.models-require-key', level: 'SHOULD', fault: 'auth.models-open', ref: AUTHENTICATION, request: MODELS_NO_KEY, validate: [unauthorized('GET /models without a key')],
    title: 'GET /models without a key is refused with 401',
    requirement: 'GET /models without credentials "should be refused with 401" like every other API path (OpenAI does; an open list leaks what is deployed).' },
];

export const authChecks = checksOf('auth', [
  ...ROWS.map((row): CheckDeclaration => ({ ...row, when: authNotJudged })),
  { id: 'auth.health-open', level: 'MAY', fault: 'auth.health-requires-key', ref: openapi('/paths/~1health/get'), when: authNotJudged,
    title: 'A health endpoint answers without a key', requirement: 'A /health endpoint "may answer 2xx without credentials" so that load balancers and probes can use it.',
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
]);
