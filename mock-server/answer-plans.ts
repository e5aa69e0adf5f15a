// The answer to a chat request that passed every check, as a plan: the synthesizer's, or a fixture's
// replay. Without faults the synthesizer's answer is serialised the fast way and remembered (answer
// -cache.ts) for the same request; with faults, their completion and events hooks edit the structured
// answer before it is framed.
import type { Fixture } from '../lib/fixture-format.ts';
import type { Decision, FreshValues, Remembered } from './answer-cache.ts';
import { faultContext, type ActiveFault } from './faults/index.ts';
import { frameBytes, frameEvents, frameTexts } from './framing.ts';
import { SchemaGenerationError } from './generation-limits.ts';
import type { IdSource } from './ids.ts';
import { renderCompletion, renderEvents, renderEventTexts } from './render.ts';
import { buildTemplate, fixtureCompletion, fixtureEvents, replayPlan, type ReplayTemplate } from './replay.ts';
import { errorPlan, jsonBytesPlan, jsonPlan, SSE_TYPE, utf8 } from './respond.ts';
import { DEFAULT_SCENARIO } from './scenarios.ts';
import { synthesize, type Answer } from './synth.ts';
import { hasOverride, synthDelays, type RequestTiming, type TimingDefaults } from './timing.ts';
import type { ChatRequest, ResponsePlan, StreamEvent } from './types.ts';

const SSE_HEADERS: Record<string, string> = { 'content-type': SSE_TYPE, 'cache-control': 'no-cache' };
const NO_CALLS: string[] = [];

export interface AnswerSources {
  fixtures: Fixture[];
  /** the server-wide speed the fixtures' recorded delays are scaled by */
  speed: number;
  /** the synthesizer's delays at speed 1 */
  timing: TimingDefaults;
  ids: IdSource;
  now: () => number;
}

export class AnswerPlans {
  /** each fixture's bytes and writes, computed once */
  private readonly templates = new Map<string, ReplayTemplate>();

  constructor(private readonly sources: AnswerSources) {
    for (const f of sources.fixtures) this.templates.set(f.id, buildTemplate(f, sources.speed));
  }

  /** The synthesizer's answer; without faults also the decision that answers the same request again. */
  synth(request: ChatRequest, t: RequestTiming, active: ActiveFault[], headers: Record<string, string>, deployment?: string): { plan: ResponsePlan; decision?: Decision } {
    let answer: Answer;
    try {
      answer = synthesize(request, { ids: this.sources.ids, now: this.sources.now }, deployment);
    } catch (error) {
      if (!(error instanceof SchemaGenerationError)) throw error;
      const code = error.param === 'response_format' ? 'invalid_json_schema' : 'invalid_function_parameters';
      const plan = errorPlan(400, error.refusal ?? error.message, 'invalid_request_error', error.param ?? null, code);
      return { plan, decision: { kind: 'plan', plan } };
    }
    const { ttft, gap } = synthDelays(t, this.sources.timing);
    if (active.length === 0) return synthWithoutFaults(answer, request.stream === true, { ttft, gap });
    if (request.stream !== true) {
      let completion = renderCompletion(answer);
      for (const a of active) if (a.fault.completion) completion = a.fault.completion(completion, faultContext(a, request, 'chat', headers)) ?? completion;
      return { plan: jsonPlan(200, completion, DEFAULT_SCENARIO, undefined, ttft) };
    }
    let events = renderEvents(answer);
    for (const a of active) if (a.fault.events) events = a.fault.events(events, faultContext(a, request, 'chat', headers)) ?? events;
    return { plan: ssePlan(frameEvents(events, ttft, gap)) };
  }

  /** The plan of a remembered decision (a request without faults seen before), if its template fits. */
  decided(d: Remembered, t: RequestTiming): ResponsePlan | undefined {
    if (d.kind === 'plan') return d.plan;
    if (d.kind === 'fixture') return this.replay(d.fixture, t, [], {}, {});
    const { ids, now, timing } = this.sources;
    // the same order of ids as synthesize(): the tool calls' first, then the completion's
    const callIds = d.calls === 0 ? NO_CALLS : Array.from({ length: d.calls }, () => ids.call());
    const values: FreshValues = { callIds, id: ids.completion(), created: Math.floor(now() / 1000) };
    const bytes = d.template.fill(values);
    if (!bytes) return undefined;
    const { ttft, gap } = synthDelays(t, timing);
    if (!d.stream) return jsonBytesPlan(200, bytes, DEFAULT_SCENARIO, undefined, ttft);
    return ssePlan(frameBytes(bytes, d.sizes, ttft, gap));
  }

  /** A fixture's answer: its exact bytes, or (with structured faults) its parsed answer edited and framed again. */
  replay(fixture: Fixture, t: RequestTiming, active: ActiveFault[], request: ChatRequest, headers: Record<string, string>): ResponsePlan {
    const template = this.templates.get(fixture.id)!;
    const structured = active.some((a) => a.fault.completion || a.fault.events || a.fault.eventAligned);
    if (!structured) return replayPlan(template, t, !hasOverride(t));
    if (template.stream) {
      const parsed = fixtureEvents(template, t);
      let events: StreamEvent[] = parsed.events;
      for (const a of active) if (a.fault.events) events = a.fault.events(events, faultContext(a, request, 'chat', headers, fixture.id)) ?? events;
      return { status: template.status, headers: template.headers, writes: frameEvents(events, parsed.ttft, parsed.gap), ending: 'end', scenario: fixture.id, faults: [], recorded: true };
    }
    let completion = fixtureCompletion(template);
    if (!completion || !active.some((a) => a.fault.completion)) return replayPlan(template, t, !hasOverride(t));
    for (const a of active) if (a.fault.completion) completion = a.fault.completion(completion, faultContext(a, request, 'chat', headers, fixture.id)) ?? completion;
    const { 'content-length': _cl, ...rest } = template.headers;
    return { ...jsonPlan(template.status, completion, fixture.id, rest, t.ttftOverride ?? 0), recorded: true };
  }
}

function ssePlan(writes: ResponsePlan['writes']): ResponsePlan {
  return { status: 200, headers: SSE_HEADERS, writes, ending: 'end', scenario: DEFAULT_SCENARIO, faults: [] };
}

/** A synthesized answer without faults: serialised the fast way, and remembered for the same request. */
function synthWithoutFaults(answer: Answer, stream: boolean, { ttft, gap }: { ttft: number; gap: number }): { plan: ResponsePlan; decision: Decision } {
  const values: FreshValues = { id: answer.id, created: answer.created, callIds: answer.choices.flatMap((c) => c.toolCalls.map((call) => call.id)) };
  const texts = stream ? renderEventTexts(answer) : [JSON.stringify(renderCompletion(answer))];
  const plan = stream ? ssePlan(frameTexts(texts, ttft, gap)) : jsonBytesPlan(200, utf8(texts[0]), DEFAULT_SCENARIO, undefined, ttft);
  return { plan, decision: { kind: 'synth', stream, calls: values.callIds.length, texts, values } };
}
