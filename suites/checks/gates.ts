// The gates: what decides, before any requirement is judged, whether an answer can be judged at all.
// Each returns a Finding (skip, unsupported, or the problem) or nothing. Checks and the runner ask
// these, and only these, so that one cause gives one verdict everywhere:
//   - a shared request that failed is judged by the one check that owns it; the others SKIP;
//   - an answer cut by max_tokens before what a check needs is inconclusive (SKIP), not a FAIL;
//   - a clean 400 about the context size is inconclusive, not a refusal of the feature.
import { isObject } from '../../lib/json.ts';
import { describeRequest } from '../runner/client.ts';
import type { CheckContext, Exchange, Finding } from './types.ts';

type Json = Record<string, any>;

/** Why an answer is unusable whatever was asked (no answer, a server error, a broken body), or nothing. */
export function brokenAnswer(x: Exchange): string | undefined {
  if (x.status === 0) return `got no usable response (${x.error ?? 'unknown error'})`;
  if (x.status >= 500) return `was answered with HTTP ${x.status}, a server error`;
  if (x.sse) return x.error && !stillGenerating(x) ? `broke off mid-stream (${x.error})` : undefined;
  if (x.status === 200 && x.json === undefined && x.text.length > 0) return `was answered with a body that is not JSON${x.jsonError ? ` (${x.jsonError})` : ''}`;
  return undefined;
}

const JUDGES_REFUSALS = new Set(['errors', 'auth']);

/**
 * One cause, one FAIL. A shared request that failed outright (no answer, a server error, a broken
 * body or stream) is judged by the one check that owns it: the owner FAILs with the cause, whatever
 * its own requirement found; every other check that found a problem in the same answer SKIPs and
 * names the owner. For checks that do not judge refusals themselves, a 4xx of a shared request is
 * such a failure too (their owner judges it; the others SKIP).
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

/** The finish_reason of choice `index`, non-stream or streamed. */
export function finishReasonOf(x: Exchange, index = 0): unknown {
  if (x.sse) {
    let finish: unknown;
    for (const e of x.events ?? []) {
      for (const c of Array.isArray(e.json?.choices) ? e.json.choices : []) {
        if (isObject(c) && (c.index ?? 0) === index && c.finish_reason) finish = c.finish_reason;
      }
    }
    return finish;
  }
  const choices = (x.json as Json | undefined)?.choices;
  return Array.isArray(choices) ? choices[index]?.finish_reason : undefined;
}

/** Inconclusive, not FAIL: the answer was cut by max_tokens before `what` (a stop, a JSON document, a tool call). */
export function cutBefore(x: Exchange, what: string, index = 0): Finding | undefined {
  if (finishReasonOf(x, index) !== 'length') return undefined;
  const limit = (x.request.body as Json | undefined)?.max_tokens ?? (x.request.body as Json | undefined)?.max_completion_tokens;
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
  const limit = (x.request.body as Json | undefined)?.max_tokens ?? (x.request.body as Json | undefined)?.max_completion_tokens;
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
  if (finishReasonOf(x) !== undefined) return undefined;
  return { skip: `inconclusive: the stream was still generating when the suite's request limit ran out (${x.events!.length} events, ${x.error}); raise timeouts.request in the profile` };
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

/** Whether a finding is a problem (FAIL/WARN material) rather than a skip, an unsupported or an ignored. */
export function isProblem(finding: Finding | undefined | void): boolean {
  return !!finding && (typeof finding === 'string' || 'lenient' in finding || 'warn' in finding);
}

/**
 * Auth is claimed like a capability. Not judged when the profile says there is none, or when no key
 * was given and the profile does not claim auth.
 */
export function authNotJudged(ctx: CheckContext): Finding | undefined {
  const claim = ctx.claims('auth');
  if (claim === false) return { skip: 'the profile says the endpoint has no auth (auth.style none or capabilities.auth false)' };
  if (!ctx.config.apiKey && claim !== true) return { skip: 'no API_KEY: key handling not judged (set API_KEY, or claim auth in the profile)' };
  return undefined;
}

/** A key problem FAILs only when the profile claims auth; otherwise it is a warning. */
export function authFinding(ctx: CheckContext, finding: Finding | undefined): Finding | undefined {
  if (ctx.claims('auth') === true || typeof finding !== 'string') return finding;
  return { warn: `${finding} (auth is not claimed by the profile: the endpoint accepts requests without a valid key)` };
}
