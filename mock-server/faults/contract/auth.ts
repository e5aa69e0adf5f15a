// Faults for suites/checks/auth.ts: keys not checked, the wrong-key error unnamed, GET /models open,
// /health closed.
import { errorBody } from '../../respond.ts';
import { hasKey, isObject, planJson, replaceJson, type ContractFault } from './helpers.ts';

export const authFaults: ContractFault[] = [
  {
    id: 'auth.accept-missing-key',
    description: 'a request without any key is served',
    alsoBreaks: ['auth.models-require-key'],
    validate: (ctx, refusal) => (refusal?.stage === 'auth' && !hasKey(ctx) ? null : refusal),
  },
  {
    id: 'auth.accept-any-key',
    description: 'any key is accepted (the key is not checked, only its presence)',
    validate: (ctx, refusal) => (refusal?.stage === 'auth' && hasKey(ctx) ? null : refusal),
  },
  {
    id: 'auth.no-error-code',
    description: 'the 401 for a wrong key carries code null instead of invalid_api_key',
    validate: (_ctx, refusal) => (refusal?.stage === 'auth' ? { ...refusal, body: { error: { ...((refusal.body as any)?.error ?? {}), code: null } } } : refusal),
  },
  {
    id: 'auth.models-open',
    description: 'GET /models answers without a key',
    validate: (ctx, refusal) => (refusal?.stage === 'auth' && (ctx.route === 'models' || ctx.route === 'model') ? null : refusal),
  },
  {
    id: 'auth.health-requires-key',
    description: 'GET /health answers 401 without a key',
    plan: (plan, ctx) => {
      // /health has no route of its own in FaultContext: act only outside the API routes
      if (ctx.route === 'chat' || ctx.route === 'models' || ctx.route === 'model') return plan;
      if (hasKey(ctx) || plan.status !== 200) return plan;
      const body = planJson(plan);
      if (!isObject(body) || !('status' in body || 'ok' in body)) return plan;
      return replaceJson(plan, 401, errorBody("You didn't provide an API key.", 'invalid_request_error', null, 'invalid_api_key'));
    },
  },
];
