// Faults for suites/checks/models.ts: GET /models and GET /models/{id} answering the wrong thing.
import type { FaultContext, ResponsePlan } from '../../types.ts';
import { isObject, planJson, replaceJson, type ContractFault, type Json } from './helpers.ts';

/** The plan of a 200 on `route` with its JSON body rewritten by `fn` (other plans untouched). */
function rewrite(route: FaultContext['route'], fn: (body: Json) => Json | undefined): ContractFault['plan'] {
  return (plan: ResponsePlan, ctx: FaultContext) => {
    const body = ctx.route === route && plan.status === 200 ? planJson(plan) : undefined;
    const next = isObject(body) ? fn(body) : undefined;
    return next ? replaceJson(plan, 200, next) : plan;
  };
}

export const modelsFaults: ContractFault[] = [
  {
    id: 'models.list-broken',
    description: 'GET /models answers {"object": "models", "data": […]} (object is not "list")',
    plan: rewrite('models', (body) => ({ ...body, object: 'models' })),
  },
  {
    id: 'models.unlisted',
    description: 'GET /models does not list the default model (mock-gpt), which is still served',
    plan: rewrite('models', (body) => (Array.isArray(body.data) ? { ...body, data: body.data.filter((m: Json) => m?.id !== 'mock-gpt') } : undefined)),
  },
  {
    id: 'models.retrieve-broken',
    description: 'GET /models/{id} answers object "engine" instead of "model"',
    plan: rewrite('model', (body) => ({ ...body, object: 'engine' })),
  },
  {
    id: 'models.retrieve-wrong-id',
    description: 'GET /models/{id} answers the model under another id (a resolved snapshot name)',
    plan: rewrite('model', (body) => ({ ...body, id: `${body.id}-2024-01-01` })),
  },
  {
    id: 'models.unknown-found',
    description: 'GET /models/{id} answers 200 with a made-up model object for any id',
    plan: (plan, ctx) => {
      if (ctx.route !== 'model' || plan.status !== 404) return plan;
      const message = String((planJson(plan) as any)?.error?.message ?? '');
      const id = /'([^']+)'|`([^`]+)`|"([^"]+)"/.exec(message);
      return replaceJson(plan, 200, { id: id?.[1] ?? id?.[2] ?? id?.[3] ?? 'unknown', object: 'model', created: 1704067200, owned_by: 'oai-compat' });
    },
  },
];
