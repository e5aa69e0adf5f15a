// The models the mock serves. `mock-gpt` (the default) answers plainly; `mock-reasoner` sends
// `reasoning_content` first. By default any other name is served too, like mock-gpt, and echoed in
// `model` (as one-model local servers do: clients keep their gpt-4o-mini). With a list of names
// (`models` option, CLI `--models a,b`) the catalogue is strict: other names get 404
// model_not_found. Either way GET /models lists mock-gpt, mock-reasoner and the given names, and
// every fixture id is also a model name (it selects that scenario; not listed, to keep the list
// short; `GET /models/{fixture-id}` finds it). GET /models/{id} answers 404 for any other name, also
// in the default mode: chat answers every name, the catalogue holds what is listed.
import { refusal } from './respond.ts';
import type { Refusal } from './types.ts';

export const DEFAULT_MODEL = 'mock-gpt';
export const REASONER_MODEL = 'mock-reasoner';

/**
 * Every model's context in tokens: prompt and max_tokens together beyond it get a 400
 * context_length_exceeded (request-checks.ts); listed as `max_model_len`, as vLLM does.
 */
export const CONTEXT_WINDOW = 16_384;

/** 2024-01-01T00:00:00Z: a fixed `created` so the list is byte-stable. */
const CREATED = 1704067200;

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  max_model_len: number;
}

export function modelObject(id: string, ownedBy = 'oai-compat'): ModelObject {
  return { id, object: 'model', created: CREATED, owned_by: ownedBy, max_model_len: CONTEXT_WINDOW };
}

export class ModelCatalog {
  readonly listed: string[];
  /** only the listed names and fixture ids are served */
  readonly strict: boolean;
  private readonly known: Set<string>;
  private readonly fixtureIds: Set<string>;

  /** `names`: undefined serves any model name; a list (even empty) serves only those and the built-in ones */
  constructor(names: string[] | undefined, fixtureIds: string[] = []) {
    this.strict = names !== undefined;
    this.listed = [...new Set([DEFAULT_MODEL, REASONER_MODEL, ...(names ?? [])])];
    this.fixtureIds = new Set(fixtureIds);
    this.known = new Set([...this.listed, ...fixtureIds]);
  }

  has(id: string): boolean {
    return !this.strict || this.known.has(id);
  }

  isFixture(id: string): boolean {
    return this.fixtureIds.has(id) && !this.listed.includes(id);
  }

  list() {
    return { object: 'list', data: this.listed.map((id) => modelObject(id)) };
  }

  /** GET /models/{id}: the listed models and fixture ids only, also when chat serves any name */
  get(id: string): ModelObject | undefined {
    if (!this.known.has(id)) return undefined;
    return modelObject(id, this.isFixture(id) ? 'oai-compat-fixture' : 'oai-compat');
  }
}

/** Does this model answer with reasoning first? */
export function isReasoner(model: string): boolean {
  return model === REASONER_MODEL || model.startsWith(`${REASONER_MODEL}-`);
}

/** The 404 for a model (or, on an Azure path, a deployment) the server does not serve. */
export function modelNotFound(model: string, deployment: boolean): Refusal {
  const shown = JSON.stringify(model.slice(0, 100));
  return refusal(
    404,
    deployment
      ? `The API deployment for this resource does not exist: ${shown}.`
      : `The model ${shown} does not exist or you do not have access to it. GET /v1/models lists the models of this server.`,
    'invalid_request_error',
    'model',
    deployment ? 'DeploymentNotFound' : 'model_not_found',
    'model',
  );
}
