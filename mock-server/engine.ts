// The scenario engine: a MockRequest in, a ResponsePlan (status, headers, timed writes, ending) out.
// Pipeline: route → faults chosen → auth → body size → JSON → fault request hooks → contract
// validation → semantic checks → model → fault validate hooks → scenario (header, model naming a
// fixture, match rules, else the synthesizer) → answer → fault completion/events hooks → bytes →
// fault plan hooks. Every refusal is the OpenAI error envelope; nothing the client sends makes it throw.
import type { Fixture } from '../lib/fixture-format.ts';
import { checkAuth } from './auth.ts';
import { FaultRegistry, type ActiveFault } from './faults/index.ts';
import { AnswerCache, type Decision, type FreshValues, type Remembered } from './answer-cache.ts';
import { frameBytes, frameEvents, frameTexts } from './framing.ts';
import { IdSource } from './ids.ts';
import { Journal } from './journal.ts';
import { ModelCatalog } from './models.ts';
import { renderCompletion, renderEvents, renderEventTexts } from './render.ts';
import { buildTemplate, fixtureCompletion, fixtureEvents, replayPlan, type ReplayTemplate } from './replay.ts';
import { checkBodySize, checkContract, checkSemantics, parseJsonBody } from './request-checks.ts';
import { errorPlan, isEventStream, jsonBytesPlan, jsonPlan, jsonTextPlan, SSE_TYPE, totalBytes, refusal, refusalPlan } from './respond.ts';
import { allowedMethods, route, type Route } from './routes.ts';
import { DEFAULT_SCENARIO, nearestIds, ScenarioIndex } from './scenarios.ts';
import { synthesize, type Answer } from './synth.ts';
import { SchemaGenerationError } from './generation-limits.ts';
import { DEFAULT_TIMING, hasOverride, isRefusal, requestTiming, synthDelays, type RequestTiming, type TimingDefaults } from './timing.ts';
import type { ChatRequest, FaultContext, MockRequest, ResponsePlan, StreamEvent, Refusal } from './types.ts';
import { isObject } from '../lib/json.ts';

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

const SSE_HEADERS: Record<string, string> = { 'content-type': SSE_TYPE, 'cache-control': 'no-cache' };
const CORS_ALLOW_HEADERS =
  'authorization, api-key, content-type, x-mock-scenario, x-mock-fault, x-mock-session, x-mock-ttft-ms, x-mock-chunk-delay-ms, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout, openai-organization, openai-project';


/** What the pipeline learns about a request on the way, for its journal entry. */
interface RequestNotes {
  session: string;
  body?: unknown;
  faults: string[];
  journal: boolean;
  /** the attempt number of a counted fault (fail-first, drop-once-after) */
  attempt?: number;
}

const NO_CALLS: string[] = [];

/** sessions whose counted-fault attempts are remembered (the oldest is forgotten first) */
const COUNTED_SESSIONS = 1000;

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
  private readonly templates = new Map<string, ReplayTemplate>();
  private readonly active: ActiveFault[];
  private readonly speed: number;
  private readonly timingDefaults: TimingDefaults;
  private readonly bodyLimit: number;
  private readonly ids: IdSource;
  private readonly now: () => number;
  private readonly modelsPlan: ResponsePlan;
  /** counted faults: per session, requests seen per fault spec */
  private readonly attempts = new Map<string, Map<string, number>>();
  /** decisions for requests without faults, by body (answers are deterministic) */
  private readonly answers = new AnswerCache();

  constructor(options: EngineOptions) {
    this.options = options;
    this.fixtures = options.fixtures;
    const speed = options.speed ?? 1;
    if (!Number.isFinite(speed) || speed < 0) throw new Error(`speed must be a number >= 0 (got ${options.speed})`);
    this.speed = speed;
    this.timingDefaults = { ...DEFAULT_TIMING, ...options.timing };
    this.bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
    this.ids = new IdSource(options.idSeed);
    this.now = options.now ?? Date.now;
    this.journal = new Journal(options.journalLimit ?? 1000);
    this.faults = new FaultRegistry();
    this.serverFaults = [...(options.faults ?? [])];
    const parsed = this.faults.parse(this.serverFaults);
    if (!parsed.ok) throw new Error(parsed.message);
    this.active = parsed.active;
    this.scenarios = new ScenarioIndex(this.fixtures);
    for (const f of this.fixtures) this.templates.set(f.id, buildTemplate(f, speed));
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
    if (req.method === 'OPTIONS') {
      const allow = allowedMethods(req.path);
      if (!allow) return errorPlan(404, `Invalid URL (${req.method} ${req.path})`, 'invalid_request_error');
      return { status: 204, headers: { allow: [...allow, 'OPTIONS'].join(', ') }, writes: [], ending: 'end', scenario: 'options', faults: [] };
    }
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
      case 'admin-faults':
        notes.journal = false;
        return this.admin(r.route, req, notes);
      default:
        return this.api(r.route, req, notes);
    }
  }

  private admin(r: Route, req: MockRequest, notes: RequestNotes): ResponsePlan {
    const session = req.query.get('session') ?? (req.headers['x-mock-session'] ? notes.session : 'default');
    if (r.kind === 'admin-journal') {
      if (req.method === 'DELETE') {
        if (session === '*') {
          this.journal.clear();
          this.attempts.clear();
        } else {
          this.journal.clear(session);
          this.attempts.delete(session);
        }
        return jsonPlan(200, { cleared: session }, 'admin');
      }
      const sessions = this.journal.sessionIds();
      return jsonPlan(200, { session, sessions, entries: this.journal.entries(session) }, 'admin');
    }
    if (r.kind === 'admin-fixtures') {
      return jsonPlan(
        200,
        {
          fixtures: this.fixtures.map((f) => ({
            id: f.id,
            title: f.title,
            stream: Array.isArray(f.response.writes),
            status: f.response.status,
            source: f.source?.kind,
            ...(f.match ? { match: f.match } : {}),
            ...(f.tags ? { tags: f.tags } : {}),
          })),
        },
        'admin',
      );
    }
    return jsonPlan(200, { serverFaults: this.serverFaults, faults: this.faults.describe() }, 'admin');
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
    const active = faults.length > 0 ? this.countAttempts(faults, notes) : faults;
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
        const known = key === undefined ? undefined : this.answers.get(key);
        const plan = known && this.decided(known, isRefusal(timing) ? { speed: this.speed } : timing);
        if (plan) return plan;
        if (known) this.answers.forget(key!); // its template no longer fits (see TextTemplate.fill)
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
        for (const a of active) if (a.fault.request) request = a.fault.request(request, this.ctx(a, request, kind, headers)) ?? request;
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
        const out = a.fault.validate(this.ctx(a, request, kind, headers, fixture), v);
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
        plan = this.replay(fixture, t, active, request, headers);
        decision = { kind: 'fixture', fixture };
      } else ({ plan, decision } = this.synth(request, t, active, headers, r.deployment));
    }
    if (key !== undefined && decision) this.answers.set(key, decision);
    if (active.length > 0) {
      for (const a of active) if (a.fault.plan) plan = a.fault.plan(plan, this.ctx(a, request, kind, headers, fixture)) ?? plan;
      plan = finalize(plan, notes.faults);
    }
    return plan;
  }

  private ctx(a: ActiveFault, request: ChatRequest, route: 'chat' | 'models' | 'model', headers: Record<string, string>, fixture?: Fixture): FaultContext {
    const c: FaultContext = { request, route, headers, stream: request.stream === true, scenario: fixture?.id ?? DEFAULT_SCENARIO };
    if (a.param !== undefined) c.param = a.param;
    if (a.attempt !== undefined) c.attempt = a.attempt;
    return c;
  }

  /** Counted faults get this request's attempt number in its session (copies: server-wide faults are shared). */
  private countAttempts(active: ActiveFault[], notes: RequestNotes): ActiveFault[] {
    if (!active.some((a) => a.fault.counted)) return active;
    let seen = this.attempts.get(notes.session);
    if (!seen) {
      if (this.attempts.size >= COUNTED_SESSIONS) this.attempts.delete(this.attempts.keys().next().value!);
      seen = new Map();
      this.attempts.set(notes.session, seen);
    }
    return active.map((a) => {
      if (!a.fault.counted) return a;
      const attempt = (seen.get(a.spec) ?? 0) + 1;
      seen.set(a.spec, attempt);
      notes.attempt ??= attempt;
      return { ...a, attempt };
    });
  }

  /** The synthesizer's answer; without faults also the decision that answers the same request again. */
  private synth(request: ChatRequest, t: RequestTiming, active: ActiveFault[], headers: Record<string, string>, deployment?: string): { plan: ResponsePlan; decision?: Decision } {
    let answer: Answer;
    try {
      answer = synthesize(request, { ids: this.ids, now: this.now }, deployment);
    } catch (error) {
      if (!(error instanceof SchemaGenerationError)) throw error;
      const code = error.param === 'response_format' ? 'invalid_json_schema' : 'invalid_function_parameters';
      const plan = errorPlan(400, error.refusal ?? error.message, 'invalid_request_error', error.param ?? null, code);
      return { plan, decision: { kind: 'plan', plan } };
    }
    const { ttft, gap } = synthDelays(t, this.timingDefaults);
    if (active.length === 0) return synthWithoutFaults(answer, request.stream === true, { ttft, gap });
    if (request.stream !== true) {
      let completion = renderCompletion(answer);
      for (const a of active) if (a.fault.completion) completion = a.fault.completion(completion, this.ctx(a, request, 'chat', headers)) ?? completion;
      return { plan: jsonPlan(200, completion, DEFAULT_SCENARIO, undefined, ttft) };
    }
    let events = renderEvents(answer);
    for (const a of active) if (a.fault.events) events = a.fault.events(events, this.ctx(a, request, 'chat', headers)) ?? events;
    return { plan: { status: 200, headers: SSE_HEADERS, writes: frameEvents(events, ttft, gap), ending: 'end', scenario: DEFAULT_SCENARIO, faults: [] } };
  }

  /** The plan of a remembered decision (a request without faults seen before), if its template fits. */
  private decided(d: Remembered, t: RequestTiming): ResponsePlan | undefined {
    if (d.kind === 'plan') return d.plan;
    if (d.kind === 'fixture') return this.replay(d.fixture, t, [], {}, {});
    // the same order of ids as synthesize(): the tool calls' first, then the completion's
    const callIds = d.calls === 0 ? NO_CALLS : Array.from({ length: d.calls }, () => this.ids.call());
    const values: FreshValues = { callIds, id: this.ids.completion(), created: Math.floor(this.now() / 1000) };
    const bytes = d.template.fill(values);
    if (!bytes) return undefined;
    const { ttft, gap } = synthDelays(t, this.timingDefaults);
    if (!d.stream) return jsonBytesPlan(200, bytes, DEFAULT_SCENARIO, undefined, ttft);
    return { status: 200, headers: SSE_HEADERS, writes: frameBytes(bytes, d.sizes, ttft, gap), ending: 'end', scenario: DEFAULT_SCENARIO, faults: [] };
  }

  private replay(fixture: Fixture, t: RequestTiming, active: ActiveFault[], request: ChatRequest, headers: Record<string, string>): ResponsePlan {
    const template = this.templates.get(fixture.id)!;
    const structured = active.some((a) => a.fault.completion || a.fault.events || a.fault.eventAligned);
    if (!structured) return replayPlan(template, t, !hasOverride(t));
    if (template.stream) {
      const parsed = fixtureEvents(template, t);
      let events: StreamEvent[] = parsed.events;
      for (const a of active) if (a.fault.events) events = a.fault.events(events, this.ctx(a, request, 'chat', headers, fixture)) ?? events;
      return { status: template.status, headers: template.headers, writes: frameEvents(events, parsed.ttft, parsed.gap), ending: 'end', scenario: fixture.id, faults: [] };
    }
    let completion = fixtureCompletion(template);
    if (!completion || !active.some((a) => a.fault.completion)) return replayPlan(template, t, !hasOverride(t));
    for (const a of active) if (a.fault.completion) completion = a.fault.completion(completion, this.ctx(a, request, 'chat', headers, fixture)) ?? completion;
    const { 'content-length': _cl, ...rest } = template.headers;
    return jsonPlan(template.status, completion, fixture.id, rest, t.ttftOverride ?? 0);
  }
}

/** A synthesized answer's plan from its text: one JSON text, or the SSE text of each event. */
function synthPlan(texts: string[], stream: boolean, { ttft, gap }: { ttft: number; gap: number }): ResponsePlan {
  if (!stream) return jsonTextPlan(200, texts[0], DEFAULT_SCENARIO, undefined, ttft);
  return { status: 200, headers: SSE_HEADERS, writes: frameTexts(texts, ttft, gap), ending: 'end', scenario: DEFAULT_SCENARIO, faults: [] };
}

/** A synthesized answer without faults: serialised the fast way, and remembered for the same request. */
function synthWithoutFaults(answer: Answer, stream: boolean, delays: { ttft: number; gap: number }): { plan: ResponsePlan; decision: Decision } {
  const values: FreshValues = { id: answer.id, created: answer.created, callIds: answer.choices.flatMap((c) => c.toolCalls.map((call) => call.id)) };
  const texts = stream ? renderEventTexts(answer) : [JSON.stringify(renderCompletion(answer))];
  return { plan: synthPlan(texts, stream, delays), decision: { kind: 'synth', stream, calls: values.callIds.length, texts, values } };
}

function named(headers: Record<string, string>): string | undefined {
  return headers['x-mock-scenario'];
}

function modelNotFound(model: string, deployment: boolean): Refusal {
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

/** After faults: a complete non-stream body gets its content-length right. */
function finalize(plan: ResponsePlan, faults: string[]): ResponsePlan {
  const out = { ...plan, faults };
  if (plan.ending === 'end' && plan.headers['content-length'] !== undefined && !isEventStream(plan.headers)) {
    const size = String(totalBytes(plan.writes));
    if (size !== plan.headers['content-length']) out.headers = { ...plan.headers, 'content-length': size };
  }
  return out;
}

function withCors(plan: ResponsePlan, origin: string): ResponsePlan {
  const headers: Record<string, string> = {
    ...plan.headers,
    'access-control-allow-origin': origin && origin !== 'null' ? origin : '*',
    'access-control-expose-headers': '*',
    vary: 'origin',
  };
  if (plan.status === 204) {
    headers['access-control-allow-methods'] = headers.allow ?? 'GET, POST, OPTIONS';
    headers['access-control-allow-headers'] = CORS_ALLOW_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  return { ...plan, headers };
}
