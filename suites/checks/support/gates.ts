// The gates: before a requirement is judged, whether an answer can be judged at all. This module, and
// only this one, decides:
//   - was it answered, or refused (cleanly: UNSUPPORTED when the capability is not claimed)?
//   - is it usable (a 200 completion, a stream that completed)?
//   - is what the check needs there, or did a prerequisite fail (SKIP naming the check that judges it)?
//   - is it inconclusive (cut by max_tokens, a context too small, a stream still generating): SKIP;
//   - one cause, one FAIL: a shared request that failed is judged by the one check that owns it;
//   - auth is judged as a claim.
// Whether a capability is claimed is ctx.claims() (suites/runner/context.ts), nothing else.
import { isObject } from '../../../lib/json.ts';
import { describeRequest, describeResponse, isCleanRefusal } from '../../runner/client.ts';
import type { CheckContext, Exchange, Finding, RequestSpec, Validator, ValidatorOutput } from '../types.ts';
import { streamChoice } from './stream-view.ts';
import { show } from './text.ts';

type Json = Record<string, any>;

/** Capabilities whose checks expect refusals: a refusal is their answer, not a refusal of a feature. */
const JUDGES_REFUSALS = new Set(['errors', 'auth']);

// -------------------------------------------------------------------------------------------------
// Answered or refused

/**
 * The first gate of every request a check judges (the runner applies it before any validator): no
 * answer is a problem; a clean 4xx for a capability that is not claimed is UNSUPPORTED, any other
 * refusal of an unclaimed capability a problem; a clean 400 about the context size is inconclusive.
 * Checks that expect refusals (errors, auth) judge every answer themselves, none included.
 */
export function refusal(x: Exchange, ctx: CheckContext, capability: string): Finding | undefined {
  if (JUDGES_REFUSALS.has(capability)) return undefined;
  if (x.status === 0) return `no usable response: ${x.error}. Sent: ${describeRequest(x)}`;
  const tooBig = contextTooSmall(x);
  if (tooBig) return tooBig;
  if (x.status < 400 || ctx.claims(capability) === true) return undefined;
  if (x.status < 500 && isCleanRefusal(x)) return { unsupported: `refused cleanly: ${describeResponse(x, 200)}` };
  return `the ${capability} request was refused without a clean OpenAI error (a 4xx with {"error":{...}}): ${describeResponse(x)}. Sent: ${describeRequest(x)}`;
}

/** A scripted check's first request: not refused (see refusal), answered with 200, and complete. */
export function accepted(x: Exchange, ctx: CheckContext, capability: string): Finding | undefined {
  const refused = refusal(x, ctx, capability);
  if (refused) return refused;
  if (x.status !== 200) return `expected HTTP 200, got ${x.status}: ${describeResponse(x)}. Sent: ${describeRequest(x)}`;
  if (x.error) return `the response did not complete: ${x.error}. Sent: ${describeRequest(x)}`;
}

/** Send a scripted check's request and gate it (see accepted): the exchange, or the gate's finding. */
export async function sendAccepted(ctx: CheckContext, spec: RequestSpec, capability: string, options?: { fresh?: boolean }): Promise<{ x: Exchange } | { finding: Finding }> {
  const x = await ctx.send(spec, options);
  const refused = accepted(x, ctx, capability);
  return refused ? { finding: refused } : { x };
}

/**
 * A request that must be answered with a 200 (non-stream: a JSON body with a choices array; stream:
 * completed events): the problem, naming `what` was sent, or nothing.
 */
export function unanswered(x: Exchange, what: string): string | undefined {
  if (x.status === 0) return `${what}: no usable response (${x.error})`;
  if (x.status !== 200) {
    const e = isObject(x.json) && isObject((x.json as Json).error) ? (x.json as Json).error : undefined;
    const why = e ? `: ${show(e.message, 200)}` : x.text ? ` (no OpenAI error envelope: ${show(x.text.slice(0, 200), 160)})` : '';
    return `${what} was answered with HTTP ${x.status}, not 200${why}`;
  }
  if (x.error) return `${what}: the response did not complete (${x.error})`;
  if (x.sse) return !x.events || x.events.length === 0 ? `${what}: the stream carried no data events` : undefined;
  if (x.json === undefined) return `${what}: the body is not JSON${x.jsonError ? ` (${x.jsonError})` : ''}`;
  if (!isObject(x.json) || !Array.isArray((x.json as Json).choices)) return `${what}: the body has no choices array`;
}

// -------------------------------------------------------------------------------------------------
// Usable answers (validators, first in a check's list)

/** HTTP 200. */
export const httpOk: Validator = (x) => {
  if (x.status !== 200) return `expected HTTP 200, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
};

/** The body is JSON. */
export const jsonBody: Validator = (x) => {
  if (x.json === undefined) return notJson(x);
};

/** Why a body is not JSON: its parse error, or the transport failure that cut it short. */
export function notJson(x: Exchange, what = 'the body'): string {
  return `${what} is not JSON${x.jsonError ? ` (${x.jsonError})` : x.error ? ` (${x.error})` : ''}`;
}

/** The judges of a 200 with a JSON body, after the gates that say it is one. */
export function jsonAnswer(...judges: Validator[]): Validator[] {
  return [httpOk, jsonBody, ...judges];
}

/** The judges of a 200 completion (a JSON body with a choices array), after its gates. */
export function completion(...judges: Validator[]): Validator[] {
  return jsonAnswer((x) => (isObject(x.json) && Array.isArray((x.json as Json).choices) ? undefined : 'the body has no choices array'), ...judges);
}

/** A stream that completed: headers 200, read to its end without a network error, with data events. */
export const completedStream: Validator = (x) => {
  if (x.status !== 200) return `expected HTTP 200 for the stream, got ${x.status || 'no response'}${x.error ? ` (${x.error})` : ''}`;
  if (x.error) return `the stream did not complete: ${x.error} after ${x.sse?.events.length ?? 0} events`;
  if (!x.events || x.events.length === 0) return 'the stream carried no data events';
};

/** The judges of a stream that completed and whose every event parsed, after its gates. */
export function parsedStream(...judges: Validator[]): Validator[] {
  const parsed: Validator = (x) => {
    const bad = x.events!.findIndex((e) => e.error);
    if (bad >= 0) return `event ${bad} is not JSON (${x.events![bad].error}): ${show(x.events![bad].data)}`;
  };
  return [completedStream, parsed, ...judges];
}

// -------------------------------------------------------------------------------------------------
// Prerequisites

/** A SKIP that says what is missing; `given` tells it from a picked value. */
export class Skip {
  constructor(readonly skip: string) {}
}

/** SKIP: a prerequisite failed; `see` names the check that judges it. */
export function prerequisite(what: string, see?: string): Skip {
  return new Skip(`prerequisite failed: ${what}${see ? ` (see ${see})` : ''}`);
}

/** A validator that judges what `pick` takes from the exchange, or SKIPs with pick's reason. */
export function given<T>(pick: (x: Exchange, ctx: CheckContext) => T | Skip, judge: (value: T, x: Exchange, out: ValidatorOutput, ctx: CheckContext) => Finding | undefined | void): Validator {
  return (x, ctx, out) => {
    const got = pick(x, ctx);
    return got instanceof Skip ? got : judge(got, x, out, ctx);
  };
}

// -------------------------------------------------------------------------------------------------
// Inconclusive answers

/** The finish_reason of choice `index`, non-stream or streamed (the last one a stream sent). */
export function finishReasonOf(x: Exchange, index = 0): unknown {
  if (x.sse) return streamChoice(x, index)?.finishReasons.findLast((f) => f.value)?.value;
  const choices = (x.json as Json | undefined)?.choices;
  return Array.isArray(choices) ? choices[index]?.finish_reason : undefined;
}

function tokenLimit(x: Exchange): unknown {
  const body = x.request.body as Json | undefined;
  return body?.max_tokens ?? body?.max_completion_tokens;
}

/** Inconclusive, not FAIL: the answer was cut by max_tokens before `what` (a stop, a JSON document, a tool call). */
export function cutBefore(x: Exchange, what: string, index = 0): Finding | undefined {
  if (finishReasonOf(x, index) !== 'length') return undefined;
  const limit = tokenLimit(x);
  return { skip: `inconclusive: the answer was cut by max_tokens${limit !== undefined ? ` (${limit})` : ''} before ${what} (finish_reason "length")` };
}

/**
 * Inconclusive, not FAIL: a text that starts like a JSON document (a cut only loses the end) in an
 * answer cut by max_tokens. Text that does not even start like JSON is not explained by a cut.
 */
export function cutBeforeJson(x: Exchange, text: unknown, index = 0): Finding | undefined {
  if (typeof text !== 'string' || !/^\s*[[{]/.test(text)) return undefined;
  return cutBefore(x, 'the end of the JSON document', index);
}

/**
 * Whether a text could have used up `max_tokens`: a token decodes to at least one byte, so an answer
 * of fewer UTF-8 bytes than max_tokens ended before the limit, whatever its finish_reason says.
 */
export function couldReachLimit(x: Exchange, text: string): boolean {
  const limit = tokenLimit(x);
  return typeof limit !== 'number' || Buffer.byteLength(text, 'utf8') >= limit;
}

const CONTEXT_SIZE = /context (length|size|window)|exceed_context_size|maximum context|too many tokens|prompt is too long/i;

/** A clean 4xx that says the request does not fit the model's context: inconclusive, not a refusal. */
export function contextTooSmall(x: Exchange): Finding | undefined {
  if (x.status < 400 || x.status >= 500) return undefined;
  const e = isObject(x.json) && isObject((x.json as Json).error) ? (x.json as Json).error : undefined;
  const said = `${e?.message ?? ''} ${e?.type ?? ''} ${e?.code ?? ''}`;
  if (!CONTEXT_SIZE.test(said)) return undefined;
  return { skip: `inconclusive: the endpoint's context is too small for this request (HTTP ${x.status}: ${String(e?.message ?? '').slice(0, 160)})` };
}

/**
 * A stream that the suite's own request limit cut while it was still generating (events flowing, no
 * finish_reason yet): a slow endpoint, not a broken one. A stream that finished and does not end is broken.
 */
export function stillGenerating(x: Exchange): Finding | undefined {
  if (!x.sse || !x.error || !/deadline/.test(x.error) || (x.events?.length ?? 0) === 0) return undefined;
  if (finishReasonOf(x) !== undefined || !stillFlowing(x.sse)) return undefined;
  return { skip: `inconclusive: the stream was still generating when the suite's request limit ran out (${x.events!.length} events, ${x.error}); raise timeouts.request in the profile` };
}

/**
 * Bytes were still arriving when the stream was cut: the quiet time before the end is no longer than
 * the stream's own pace allows (its longest earlier gap, twice over, and at least a second). A stream
 * that stalled and was then cut by the deadline is a stall, not a slow endpoint.
 */
function stillFlowing(sse: NonNullable<Exchange['sse']>): boolean {
  const times = sse.reads.map((r) => r.atMs);
  if (times.length === 0) return false;
  let longestGap = 0;
  for (let i = 1; i < times.length; i++) longestGap = Math.max(longestGap, times[i] - times[i - 1]);
  return sse.doneMs - times[times.length - 1] <= Math.max(1_000, 2 * longestGap);
}

/** A problem found where an answer is inconclusive (context too small, still generating at the limit) is a SKIP. */
export function inconclusive(ctx: CheckContext, capability: string, finding: Finding | undefined | void): Finding | undefined | void {
  if (!isProblem(finding)) return finding;
  for (const x of ctx.exchanges) {
    const why = (capability === 'errors' ? undefined : contextTooSmall(x)) ?? stillGenerating(x);
    if (why) return why;
  }
  return finding;
}

// -------------------------------------------------------------------------------------------------
// One cause, one FAIL

/** Why an answer is unusable whatever was asked (no answer, a server error, a broken body), or nothing. */
export function brokenAnswer(x: Exchange): string | undefined {
  if (x.status === 0) return `got no usable response (${x.error ?? 'unknown error'})`;
  if (x.status >= 500) return `was answered with HTTP ${x.status}, a server error`;
  if (x.sse) return x.error && !stillGenerating(x) ? `broke off mid-stream (${x.error})` : undefined;
  if (x.status === 200 && x.json === undefined && x.text.length > 0) return `was answered with a body that is not JSON${x.jsonError ? ` (${x.jsonError})` : ''}`;
  return undefined;
}

/**
 * A shared request that failed outright (no answer, a server error, a broken body or stream) is
 * judged by the one check that owns it: the owner FAILs with the cause, whatever its own requirement
 * found; every other check that found a problem in the same answer SKIPs and names the owner. For
 * checks that do not judge refusals themselves, a 4xx of a shared request is such a failure too.
 */
export function oneCause(ctx: CheckContext, capability: string, finding: Finding | undefined | void): Finding | undefined | void {
  for (const x of ctx.exchanges) {
    const owner = ctx.ownerOf(x);
    if (!owner) continue;
    const broken = brokenAnswer(x);
    if (owner.id === ctx.checkId) {
      if (broken && !isProblem(finding) && !(typeof finding === 'object' && 'unsupported' in finding)) {
        return `the request this check judges ${broken}. Sent: ${describeRequest(x)}`;
      }
      continue;
    }
    if (!isProblem(finding)) continue;
    // checks that judge refusals take a 5xx as their answer too; only no answer or a broken body is a failure
    let cause = JUDGES_REFUSALS.has(capability) && x.status >= 500 ? undefined : broken;
    if (!cause && x.status >= 400 && !JUDGES_REFUSALS.has(capability) && !JUDGES_REFUSALS.has(owner.capability)) {
      cause = `was refused with HTTP ${x.status}`;
    }
    if (cause) return { skip: `prerequisite failed: ${owner.id} (the request both judge ${cause})` };
  }
  return finding;
}

/** Whether a finding is a problem (FAIL/WARN material) rather than a skip, an unsupported or an ignored. */
export function isProblem(finding: Finding | undefined | void): boolean {
  return !!finding && (typeof finding === 'string' || 'lenient' in finding || 'warn' in finding);
}

// -------------------------------------------------------------------------------------------------
// Auth, claimed like a capability

/** Not judged when the profile says there is no auth, or when no key was given and auth is not claimed. */
export function authNotJudged(ctx: CheckContext): Finding | undefined {
  const claim = ctx.claims('auth');
  if (claim === false) return { skip: 'the profile says the endpoint has no auth (auth.style none or capabilities.auth false)' };
  if (!ctx.config.apiKey && claim !== true) return { skip: 'no API_KEY: key handling not judged (set API_KEY, or claim auth in the profile)' };
  return undefined;
}

/** A key problem FAILs only when the profile claims auth; otherwise it is a warning. */
export function authFinding(ctx: CheckContext, finding: Finding | undefined | void): Finding | undefined {
  if (ctx.claims('auth') === true || typeof finding !== 'string') return finding ?? undefined;
  return { warn: `${finding} (auth is not claimed by the profile: the endpoint accepts requests without a valid key)` };
}
