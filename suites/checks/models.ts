// models: GET /models and GET /models/{id} — shapes, the model in use is listed, unknown ids are 404.
import { isObject } from '../../lib/json.ts';
import { errorSummary } from './support/completion.ts';
import { httpOk, prerequisite } from './support/gates.ts';
import { MODELS_LIST, MODELS_RETRIEVE, schema as contract } from './support/refs.ts';
import { show } from './support/text.ts';
import { errorEnvelope, schema } from './support/validators.ts';
import { checksOf, type CheckContext, type Exchange, type Finding, type RequestSpec } from './types.ts';

const LIST: RequestSpec = { method: 'GET', path: '/models' };
const UNKNOWN_MODEL_ID = 'oai-compat-no-such-model-7f3a';

/** GET /models/{id} */
function retrieve(id: string): RequestSpec {
  return { method: 'GET', path: `/models/${encodeURIComponent(id)}` };
}

const inUse = (ctx: CheckContext) => retrieve(ctx.model);

function ids(x: Exchange): string[] {
  const data = isObject(x.json) ? (x.json as Record<string, any>).data : undefined;
  return Array.isArray(data) ? data.map((m) => (isObject(m) ? m.id : undefined)).filter((id): id is string => typeof id === 'string') : [];
}

export const modelChecks = checksOf('models', [
  { id: 'models.list.schema', level: 'MUST', fault: 'models.list-broken', ref: contract('model-list'),
    title: 'GET /models validates against the model-list schema', requirement: 'GET /models "must answer 200 with {"object": "list", "data": [model, …]}".',
    request: LIST, validate: [httpOk, schema('model-list')],
  },
  { id: 'models.list.includes-model', level: 'SHOULD', fault: 'models.unlisted', ref: MODELS_LIST,
    title: 'The model in use is listed by GET /models', requirement: 'The model the suite uses "should be listed by GET /models" (clients pick models from the list).',
    request: LIST, validate: [httpOk, (x, ctx, out) => {
      const listed = ids(x);
      out.notes.listed = listed.slice(0, 50);
      out.notes.model = ctx.model;
      if (listed.length === 0) return prerequisite('GET /models listed no model ids', 'models.list.schema');
      if (!listed.includes(ctx.model)) return `the model in use, ${show(ctx.model)}, is not among the ${listed.length} listed: ${show(listed.slice(0, 10), 200)}`;
    }],
  },
  { id: 'models.retrieve.schema', level: 'MUST', fault: 'models.retrieve-broken', ref: contract('model'),
    title: 'GET /models/{id} validates against the model schema', requirement: 'GET /models/{id} for the model in use "must answer 200 with a model object".',
    request: inUse, validate: [httpOk, schema('model')],
  },
  { id: 'models.retrieve.id-matches', level: 'MUST', fault: 'models.retrieve-wrong-id', ref: MODELS_RETRIEVE,
    title: 'GET /models/{id} answers the model asked for', requirement: 'GET /models/{id} "must answer the model whose id was asked for".',
    request: inUse, validate: [httpOk, (x, ctx) => {
      const id = isObject(x.json) ? (x.json as Record<string, any>).id : undefined;
      if (id !== ctx.model) return `GET /models/${ctx.model} answered the model ${show(id)}`;
    }],
  },
  { id: 'models.retrieve.unknown-404', level: 'MUST', fault: 'models.unknown-found', ref: MODELS_RETRIEVE,
    title: 'GET /models/{unknown} is 404 with the error envelope', requirement: 'GET /models/{id} for an id that does not exist "must answer 404 with the OpenAI error envelope".',
    async run(ctx, out): Promise<Finding | undefined> {
      const served = await ctx.send(inUse(ctx));
      if (served.status === 404) {
        return prerequisite(`GET /models/${ctx.model} (the model in use) is itself a 404, so the route is missing and a 404 for an unknown id says nothing`, 'models.retrieve.schema');
      }
      const x = await ctx.send(retrieve(UNKNOWN_MODEL_ID));
      out.notes.error = errorSummary(x);
      if (x.status === 0) return `no usable response (${x.error})`;
      if (x.status === 200) return `GET /models/${UNKNOWN_MODEL_ID} answered 200 for a model that does not exist: ${show(x.json, 160)}`;
      if (x.status !== 404) return `GET /models/${UNKNOWN_MODEL_ID} answered HTTP ${x.status}, not 404`;
      return errorEnvelope(x, ctx, out) ?? undefined;
    },
  },
]);
