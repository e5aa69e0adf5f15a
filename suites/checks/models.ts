// models: GET /models and GET /models/{id} — shapes, the model in use is listed, unknown ids are 404.
import { errorSummary, isObject, show } from './stream-helpers.ts';
import type { Check, Exchange, Finding } from './types.ts';
import { errorEnvelope, schema, status } from './validators.ts';

const LIST = { method: 'GET' as const, path: '/models' };
export const UNKNOWN_MODEL_ID = 'oai-compat-no-such-model-7f3a';

function modelPath(id: string): string {
  return `/models/${encodeURIComponent(id)}`;
}

function ids(x: Exchange): string[] {
  const data = isObject(x.json) ? (x.json as Record<string, any>).data : undefined;
  return Array.isArray(data) ? data.map((m) => (isObject(m) ? m.id : undefined)).filter((id): id is string => typeof id === 'string') : [];
}

export const modelChecks: Check[] = [
  {
    id: 'models.list.schema',
    level: 'MUST',
    capability: 'models',
    title: 'GET /models validates against the model-list schema',
    requirement: 'GET /models "must answer 200 with {"object": "list", "data": [model, …]}".',
    fault: 'models.list-broken',
    request: LIST,
    validate: [status(200), schema('model-list')],
  },
  {
    id: 'models.list.includes-model',
    level: 'SHOULD',
    capability: 'models',
    title: 'The model in use is listed by GET /models',
    requirement: 'The model the suite uses "should be listed by GET /models" (clients pick models from the list).',
    fault: 'models.unlisted',
    request: LIST,
    validate: [
      status(200),
      (x, ctx, out) => {
        const listed = ids(x);
        out.notes.listed = listed.slice(0, 50);
        out.notes.model = ctx.model;
        if (listed.length === 0) return { skip: 'prerequisite failed: GET /models listed no model ids (see models.list.schema)' };
        if (!listed.includes(ctx.model)) return `the model in use, ${show(ctx.model)}, is not among the ${listed.length} listed: ${show(listed.slice(0, 10), 200)}`;
      },
    ],
  },
  {
    id: 'models.retrieve.schema',
    level: 'MUST',
    capability: 'models',
    title: 'GET /models/{id} validates against the model schema',
    requirement: 'GET /models/{id} for the model in use "must answer 200 with a model object".',
    fault: 'models.retrieve-broken',
    request: (ctx) => ({ method: 'GET', path: modelPath(ctx.model) }),
    validate: [status(200), schema('model')],
  },
  {
    id: 'models.retrieve.id-matches',
    level: 'MUST',
    capability: 'models',
    title: 'GET /models/{id} answers the model asked for',
    requirement: 'GET /models/{id} "must answer the model whose id was asked for".',
    fault: 'models.retrieve-wrong-id',
    request: (ctx) => ({ method: 'GET', path: modelPath(ctx.model) }),
    validate: [
      status(200),
      (x, ctx) => {
        const id = isObject(x.json) ? (x.json as Record<string, any>).id : undefined;
        if (id !== ctx.model) return `GET /models/${ctx.model} answered the model ${show(id)}`;
      },
    ],
  },
  {
    id: 'models.retrieve.unknown-404',
    level: 'MUST',
    capability: 'models',
    title: 'GET /models/{unknown} is 404 with the error envelope',
    requirement: 'GET /models/{id} for an id that does not exist "must answer 404 with the OpenAI error envelope".',
    fault: 'models.unknown-found',
    async run(ctx, out): Promise<Finding | undefined> {
      const served = await ctx.send({ method: 'GET', path: modelPath(ctx.model) });
      if (served.status === 404) {
        return { skip: `prerequisite failed: GET /models/${ctx.model} (the model in use) is itself a 404, so the route is missing and a 404 for an unknown id says nothing (see models.retrieve.schema)` };
      }
      const x = await ctx.send({ method: 'GET', path: modelPath(UNKNOWN_MODEL_ID) });
      out.notes.error = errorSummary(x);
      if (x.status === 0) return `no usable response (${x.error})`;
      if (x.status === 200) return `GET /models/${UNKNOWN_MODEL_ID} answered 200 for a model that does not exist: ${show(x.json, 160)}`;
      if (x.status !== 404) return `GET /models/${UNKNOWN_MODEL_ID} answered HTTP ${x.status}, not 404`;
      return errorEnvelope(x, ctx, out) ?? undefined;
    },
  },
];
