// The scenario engine: a MockRequest in, a ResponsePlan (status, headers, timed writes, ending) out.
// Pipeline: route → faults chosen → auth → body size → JSON → fault request hooks → contract
// validation → semantic checks → model → fault validate hooks → scenario (header, model naming a
// fixture, match rules, else the synthesizer) → answer → fault completion/events hooks → bytes →
// fault plan hooks. Every refusal is the OpenAI error envelope; nothing the client sends makes it throw.
// The stages live beside it: request-checks.ts, answer-plans.ts (the synthesizer's answer or a
// fixture's replay), admin.ts (/__mock/*), cors.ts, fault-attempts.ts (counted faults). The engine
// does no I/O: its fixtures come as data, and the transports write its plans (plan-writer.ts).
import type { Fixture } from '../lib/fixture-format.ts';
import { isObject } from '../lib/json.ts';
import { adminPlan } from './admin.ts';
import { AnswerCache, type Decision } from './answer-cache.ts';
import { AnswerPlans } from './answer-plans.ts';
import { checkAuth } from './auth.ts';
import { preflightPlan, withCors } from './cors.ts';
import { FaultAttempts } from './fault-attempts.ts';
import { faultContext, FaultRegistry, type ActiveFault } from './faults/index.ts';
import { IdSource } from './ids.ts';
import { Journal } from './journal.ts';
import { ModelCatalog, modelNotFound } from './models.ts';
import { checkBodySize, checkContract, checkSemantics, parseJsonBody } from './request-checks.ts';
import { errorPlan, isEventStream, jsonPlan, refusal, refusalPlan, totalBytes } from './respond.ts';
import { route, type Route } from './routes.ts';
import { DEFAULT_SCENARIO, nearestIds, ScenarioIndex } from './scenarios.ts';
import { DEFAULT_TIMING, isRefusal, requestTiming, type RequestTiming, type TimingDefaults } from './timing.ts';
import type { ChatRequest, FaultContext, MockRequest, Refusal, ResponsePlan } from './types.ts';

export interface EngineOptions {
  /** the scenarios, as data (node-engine.ts reads them from disk for the Node edges; [] for none) */
  fixtures: Fixture[];
  /** 1 = recorded delays and the synthesizer's default timing, 0 = no delays (default 1) */
  speed?: number;
  /** server-wide faults, e.g. ['drop-after:3'] (applied before the per-request x-mock-fault ones) */
  faults?: string[];
  /** when set, requests need `Authorization: Bearer KEY` or `api-key: KEY` (except /health and /__mock/*) */
  requireKey?: string;
  /** default 1 MiB */
  bodyLimitBytes?: number;
  /** the synthesizer's delays at speed 1 (default ttft 20 ms, 5 ms between chunks) */
  timing?: Partial<TimingDefaults>;
  /**
   * default (undefined): any model name is served (like mock-gpt) and echoed in `model`; a list makes
   * the server strict: only these names (listed by GET /models, answering like mock-gpt), mock-gpt,
   * mock-reasoner and fixture ids; others get 404 model_not_found. `[]`: strict with the built-in ones.
   */
  models?: string[];
  /** ids become `chatcmpl-<seed>000…1`; default: a random prefix per engine */
  idSeed?: string;
  /** the clock for `created` (ms since the epoch); default Date.now */
  now?: () => number;
  /** journal entries kept per session (default 1000) */
  journalLimit?: number;
}

export interface Engine {
  handle(req: MockRequest): Promise<ResponsePlan>;
  /** the same, synchronously (the pipeline does no I/O) */
  handleSync(req: MockRequest): ResponsePlan;
  journal: Journal;
  fixtures: Fixture[];
  faults: FaultRegistry;
  /** the server-wide faults as given */
  serverFaults: string[];
  models: ModelCatalog;
  options: Readonly<EngineOptions>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** What the pipeline learns about a request on the way, for its journal entry. */
interface RequestNotes {
  session: string;
  body?: unknown;
  faults: string[];
  journal: boolean;
  /** the attempt number of a counted fault (fail-first, drop-once-after) */
  attempt?: number;
}

export function createEngine(options: EngineOptions): Engine {
  return new MockEngine(options);
}

class MockEngine implements Engine {
  readonly journal: Journal;
  readonly fixtures: Fixture[];
  readonly faults: FaultRegistry;
  readonly serverFaults: string[];
  readonly models: ModelCatalog;
  readonly options: Readonly<EngineOptions>;
  private readonly scenarios: ScenarioIndex;
  private readonly answers: AnswerPlans;
  private readonly active: ActiveFault[];
  private readonly speed: number;
  private readonly bodyLimit: number;
  private readonly modelsPlan: ResponsePlan;
  private readonly attempts = new FaultAttempts();
  /** decisions for requests without faults, by body (answers are deterministic) */
  private readonly remembered = new AnswerCache();

  constructor(options: EngineOptions) {
    this.options = options;
    this.fixtures = options.fixtures;
    const speed = options.speed ?? 1;
    if (!Number.isFinite(speed) || speed < 0) throw new Error(`speed must be a number >= 0 (got ${options.speed})`);
    this.speed = speed;
    this.bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
    this.journal = new Journal(options.journalLimit ?? 1000);
    this.faults = new FaultRegistry();
    this.serverFaults = [...(options.faults ?? [])];
    const parsed = this.faults.parse(this.serverFaults);
    if (!parsed.ok) throw new Error(parsed.message);
    this.active = parsed.active;
    this.scenarios = new ScenarioIndex(this.fixtures);
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    this.answers = new AnswerPlans({ fixtures: this.fixtures, speed, timing, ids: new IdSource(options.idSeed), now: options.now ?? Date.now });
    this.models = new ModelCatalog(options.models, this.fixtures.map((f) => f.id));
    this.modelsPlan = jsonPlan(200, this.models.list(), 'models');
  }

  handle(req: MockRequest): Promise<ResponsePlan> {
    return Promise.resolve(this.handleSync(req));
  }

  handleSync(req: MockRequest): ResponsePlan {
    const rawSession = req.headers['x-mock-session'];
    const notes: RequestNotes = { session: rawSession ? rawSession.slice(0, 200) : 'default', faults: [], journal: true };
    let plan: ResponsePlan;
    try {
      plan = this.dispatch(req, notes);
    } catch (error) {
      plan = errorPlan(500, `The mock server failed while answering: ${(error as Error)?.message ?? String(error)}`, 'server_error');
    }
    if (req.headers['origin'] !== undefined) plan = withCors(plan, req.headers['origin']);
    if (notes.journal) {
      this.journal.record({
        session: notes.session,
        method: req.method,
        path: req.path,
        query: req.query,
        headers: req.headers,
        body: notes.body,
        rawBody: req.body,
        scenario: plan.scenario,
        faults: notes.faults,
        status: plan.status,
        attempt: notes.attempt,
      });
    }
    return plan;
  }

  private dispatch(req: MockRequest, notes: RequestNotes): ResponsePlan {
    if (req.method === 'OPTIONS') return preflightPlan(req);
    const r = route(req.method, req.path);
    if (!r.ok) {
      if (r.status === 405) {
        return errorPlan(405, r.message, 'invalid_request_error', null, 'method_not_allowed', { allow: r.allow!.join(', ') });
      }
      return errorPlan(404, r.message, 'invalid_request_error', null, 'unknown_url');
    }
    switch (r.route.kind) {
      case 'health':
        return this.health(req, notes);
      case 'admin-journal':
      case 'admin-fixtures':
      case 'admin-faults': {
        notes.journal = false;
        const { journal, attempts, fixtures, faults, serverFaults } = this;
        return adminPlan(r.route, req, req.headers['x-mock-session'] ? notes.session : undefined, { journal, attempts, fixtures, faults, serverFaults });
      }
      default:
        return this.api(r.route, req, notes);
    }
  }

  /** The faults of this request (server-wide, then x-mock-fault), or the 400 for an unknown one. */
  private activeFaults(headers: Record<string, string>, notes: RequestNotes): ActiveFault[] | ResponsePlan {
    let active = this.active;
    const faultHeader = headers['x-mock-fault'];
    if (faultHeader !== undefined && faultHeader.trim() !== '') {
      const parsed = this.faults.parse([faultHeader]);
      if (!parsed.ok) {
        notes.faults = [...this.serverFaults, faultHeader.slice(0, 200)];
        return errorPlan(400, parsed.message, 'invalid_request_error', 'x-mock-fault', 'unknown_fault');
      }
      active = active.length > 0 ? [...active, ...parsed.active] : parsed.active;
    }
    if (active.length > 0) notes.faults = active.map((a) => a.spec);
    return active;
  }

  /** /health: no key needed; only the faults' plan hooks apply. */
  private health(req: MockRequest, notes: RequestNotes): ResponsePlan {
    const active = this.activeFaults(req.headers, notes);
    if (!Array.isArray(active)) return active;
    let plan = jsonPlan(200, { status: 'ok' }, 'health');
    if (active.length === 0) return plan;
    for (const a of active) {
      if (!a.fault.plan) continue;
      const ctx: FaultContext = { request: {}, route: 'health', headers: req.headers, stream: false, scenario: 'health' };
      if (a.param !== undefined) ctx.param = a.param;
      plan = a.fault.plan(plan, ctx) ?? plan;
    }
    return finalize(plan, notes.faults);
  }

  private api(r: Route, req: MockRequest, notes: RequestNotes): ResponsePlan {
    const headers = req.headers;
    const faults = this.activeFaults(headers, notes);
    if (!Array.isArray(faults)) return faults;
    let active = faults;
    if (faults.length > 0) {
      const counted = this.attempts.count(faults, notes.session);
      active = counted.active;
      notes.attempt = counted.first;
    }
    const kind = r.kind as 'chat' | 'models' | 'model';

    const timing = requestTiming(headers, this.speed);
    let v: Refusal | null = isRefusal(timing) ? timing : checkAuth(headers, this.options.requireKey);
    if (!v && req.path.includes('/openai/') && !req.query.has('api-version')) {
      v = refusal(400, "Missing required query parameter 'api-version' (Azure OpenAI paths need it, e.g. ?api-version=2024-10-21).", 'invalid_request_error', 'api-version', 'missing_required_parameter', 'contract');
    }
    let request: ChatRequest = {};
    let fixture: Fixture | undefined;
    let model: string | undefined;

    let key: string | undefined;
    let decision: Decision | undefined;
    if (kind === 'chat') {
      if (!v) v = checkBodySize(req.body, headers, this.bodyLimit);
      if (!v && active.length === 0) {
        key = AnswerCache.key(headers['x-mock-scenario'], req.path, req.body);
        const known = key === undefined ? undefined : this.remembered.get(key);
        const plan = known && this.answers.decided(known, isRefusal(timing) ? { speed: this.speed } : timing);
        if (plan) return plan;
        if (known) this.remembered.forget(key!); // its template no longer fits (see TextTemplate.fill)
      }
      let value: unknown;
      if (!v) {
        const parsed = parseJsonBody(req.body);
        if (!parsed.ok) v = parsed.refusal;
        else {
          value = parsed.value;
          notes.body = value;
          if (isObject(value)) {
            // Azure: the deployment names the model; the body may leave it out
            if (r.deployment !== undefined && value.model === undefined) value = { ...value, model: r.deployment };
            request = value as ChatRequest;
          }
        }
      }
      if (!v && active.length > 0 && isObject(value)) {
        for (const a of active) if (a.fault.request) request = a.fault.request(request, faultContext(a, request, kind, headers)) ?? request;
        value = request;
      }
      if (!v) {
        const named = headers['x-mock-scenario'];
        if (named !== undefined && named !== '' && named !== DEFAULT_SCENARIO) {
          fixture = this.scenarios.get(named);
          if (!fixture) {
            const near = nearestIds(named, this.scenarios.ids);
            v = refusal(
              404,
              `Unknown scenario ${JSON.stringify(named.slice(0, 100))} in x-mock-scenario.${near.length > 0 ? ` Nearest: ${near.join(', ')}.` : ''} GET /__mock/fixtures lists them all.`,
              'invalid_request_error',
              'x-mock-scenario',
              'scenario_not_found',
              'scenario',
            );
          }
        }
      }
      model = r.deployment ?? (typeof request.model === 'string' ? request.model : undefined);
      if (!v && !fixture && named(headers) !== DEFAULT_SCENARIO && model !== undefined && this.models.isFixture(model)) {
        fixture = this.scenarios.get(model);
      }
      if (!v && !fixture) {
        v = checkContract(value) ?? checkSemantics(request);
        // match rules select a fixture for a valid request, whatever model it names
        if (!v && this.scenarios.hasRules && named(headers) !== DEFAULT_SCENARIO) fixture = this.scenarios.select(request);
        if (!v && !fixture && model !== undefined && !this.models.has(model)) v = modelNotFound(model, r.deployment !== undefined);
      }
    } else if (kind === 'model') {
      if (!v && !this.models.get(r.id!)) v = modelNotFound(r.id!, false);
    }

    if (active.length > 0) {
      for (const a of active) {
        if (!a.fault.validate) continue;
        const out = a.fault.validate(faultContext(a, request, kind, headers, fixture?.id), v);
        v = out === null || out === undefined ? null : out;
      }
    }
    let plan: ResponsePlan;
    if (v) {
      plan = refusalPlan(v);
      decision = { kind: 'plan', plan };
    } else if (kind === 'models') {
      plan = { ...this.modelsPlan };
    } else if (kind === 'model') {
      plan = jsonPlan(200, this.models.get(r.id!), 'model');
    } else {
      const t: RequestTiming = isRefusal(timing) ? { speed: this.speed } : timing;
      if (fixture) {
        plan = this.answers.replay(fixture, t, active, request, headers);
        decision = { kind: 'fixture', fixture };
      } else ({ plan, decision } = this.answers.synth(request, t, active, headers, r.deployment));
    }
    if (key !== undefined && decision) this.remembered.set(key, decision);
    if (active.length > 0) {
      for (const a of active) if (a.fault.plan) plan = a.fault.plan(plan, faultContext(a, request, kind, headers, fixture?.id)) ?? plan;
      plan = finalize(plan, notes.faults);
    }
    return plan;
  }
}

function named(headers: Record<string, string>): string | undefined {
  return headers['x-mock-scenario'];
}

/** After faults: a complete non-stream body gets its content-length right. */
function finalize(plan: ResponsePlan, faults: string[]): ResponsePlan {
  const out = { ...plan, faults };
  if (plan.ending === 'end' && plan.headers['content-length'] !== undefined && !isEventStream(plan.headers)) {
    const size = String(totalBytes(plan.writes));
    if (size !== plan.headers['content-length']) out.headers = { ...plan.headers, 'content-length': size };
  }
  return out;
}
