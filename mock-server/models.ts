// The models the mock serves. `mock-gpt` (the default) answers plainly; `mock-reasoner` sends
// `reasoning_content` first. Every fixture id is also accepted as a model name (it selects that
// scenario) but is not listed, to keep the list short; `GET /models/{fixture-id}` finds it.

export const DEFAULT_MODEL = 'mock-gpt';
export const REASONER_MODEL = 'mock-reasoner';

/** 2024-01-01T00:00:00Z: a fixed `created` so the list is byte-stable. */
const CREATED = 1704067200;

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export function modelObject(id: string, ownedBy = 'oai-compat'): ModelObject {
  return { id, object: 'model', created: CREATED, owned_by: ownedBy };
}

export class ModelCatalog {
  readonly listed: string[];
  private readonly all: Set<string>;
  private readonly fixtureIds: Set<string>;

  constructor(extra: string[] = [], fixtureIds: string[] = []) {
    this.listed = [...new Set([DEFAULT_MODEL, REASONER_MODEL, ...extra])];
    this.fixtureIds = new Set(fixtureIds);
    this.all = new Set([...this.listed, ...fixtureIds]);
  }

  has(id: string): boolean {
    return this.all.has(id);
  }

  isFixture(id: string): boolean {
    return this.fixtureIds.has(id) && !this.listed.includes(id);
  }

  list() {
    return { object: 'list', data: this.listed.map((id) => modelObject(id)) };
  }

  get(id: string): ModelObject | undefined {
    if (!this.all.has(id)) return undefined;
    return modelObject(id, this.fixtureIds.has(id) && !this.listed.includes(id) ? 'oai-compat-fixture' : 'oai-compat');
  }
}

/** Does this model answer with reasoning first? */
export function isReasoner(model: string): boolean {
  return model === REASONER_MODEL || model.startsWith(`${REASONER_MODEL}-`);
}
