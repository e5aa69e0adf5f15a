// Turns a check into a verdict. Independent of Playwright, so the fault matrix and the benchmark
// run exactly the code the suite runs.
import type { RunConfig } from '../../lib/config.ts';
import { redactJson, redactText } from '../../lib/redact.ts';
import type { CheckResult, Evidence, EvidenceExchange, Verdict } from '../../lib/results.ts';
import { allChecks } from '../checks/index.ts';
import { inconclusive, oneCause, refusal } from '../checks/support/gates.ts';
import { isScripted, type Check, type Finding, type ValidatorOutput } from '../checks/types.ts';
import { BodyTooLargeError, describeRequest, describeResponse, type Exchange } from './client.ts';
import { createContext, requestKey, type CheckContext, type CheckRef } from './context.ts';

const BODY_LIMIT = 4000;

interface Attempt {
  verdict: Verdict;
  message: string;
  ctx: CheckContext;
  out: ValidatorOutput;
}

export function rerunCommand(check: Check): string {
  return `npx playwright test -g "${check.id}:"`;
}

export async function runCheck(check: Check, config: RunConfig, model: string): Promise<CheckResult> {
  const started = performance.now();
  const runs = check.dependsOnModel ? config.repeat : 1;
  const attempts: Attempt[] = [];
  // later runs of a model-dependent check ask again: a shared answer would only repeat the first sample
  for (let i = 0; i < runs; i++) attempts.push(await attempt(check, config, model, i > 0));

  const failed = attempts.filter((a) => a.verdict !== 'PASS' && a.verdict !== 'INFO');
  let chosen = failed[0] ?? attempts[attempts.length - 1];
  let verdict = chosen.verdict;
  let message = chosen.message;
  const result: CheckResult = {
    id: check.id,
    title: check.title,
    level: check.level,
    capability: check.capability,
    requirement: check.requirement,
    ref: check.ref,
    verdict,
    message,
    durationMs: 0,
    rerun: rerunCommand(check),
    fault: check.fault,
  };
  if (check.dependsOnModel) {
    const passes = attempts.filter((a) => a.verdict === 'PASS').length;
    result.repeat = { k: runs, passes, passAtK: passes > 0, passHatK: passes === runs };
    if (runs > 1) message = `${message} (pass ${passes}/${runs}: pass@${runs} ${passes > 0}, pass^${runs} ${passes === runs})`;
  }
  const known = config.profile.expectedFailures.find((e) => e.id === check.id);
  if (known && (verdict === 'FAIL' || verdict === 'WARN')) {
    message = `expected failure (${known.reason}): ${message}`;
    verdict = 'KNOWN';
  }
  result.verdict = verdict;
  result.message = redactText(message);
  result.evidence = buildEvidence(chosen.ctx.exchanges, chosen.out.notes);
  if (Object.keys(chosen.out.metrics).length > 0) result.metrics = chosen.out.metrics;
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

const ownersByModel = new Map<string, Map<string, CheckRef>>();

/**
 * For each request that several checks send, the check that judges it when it fails outright: the
 * check that says it does (`judgesFailures`), else the first MUST check of the suite (in report
 * order) that sends it, else the first check.
 */
function sharedRequestOwners(config: RunConfig, model: string): Map<string, CheckRef> {
  let owners = ownersByModel.get(model);
  if (owners) return owners;
  owners = new Map();
  const probe = createContext(config, model);
  const ordered = [...allChecks.filter((c) => c.judgesFailures), ...allChecks.filter((c) => c.level === 'MUST'), ...allChecks.filter((c) => c.level !== 'MUST')];
  for (const c of ordered) {
    if (isScripted(c)) continue;
    const key = requestKey(typeof c.request === 'function' ? c.request(probe) : c.request);
    if (!owners.has(key)) owners.set(key, { id: c.id, capability: c.capability });
  }
  ownersByModel.set(model, owners);
  return owners;
}

async function attempt(check: Check, config: RunConfig, model: string, fresh: boolean): Promise<Attempt> {
  const ctx = createContext(config, model, { id: check.id, capability: check.capability }, sharedRequestOwners(config, model));
  const out: ValidatorOutput = { notes: {}, metrics: {} };
  const claim = ctx.claims(check.capability);
  let finding: Finding | undefined | void;
  try {
    const precondition = check.when?.(ctx);
    if (precondition) {
      finding = precondition;
    } else if (isScripted(check)) {
      finding = await check.run(ctx, out);
    } else {
      const spec = typeof check.request === 'function' ? check.request(ctx) : check.request;
      const x = await ctx.send(spec, { fresh });
      finding = refusal(x, ctx, check.capability);
      if (finding === undefined) {
        for (const validate of check.validate) {
          finding = validate(x, ctx, out);
          if (finding) break;
        }
      }
    }
  } catch (error) {
    // a body past the suite's size limit cannot be judged: inconclusive, not a FAIL
    finding = error instanceof BodyTooLargeError ? { skip: `inconclusive: ${error.message}` } : `the check could not complete: ${(error as Error).message}`;
  }
  finding = oneCause(ctx, check.capability, inconclusive(ctx, check.capability, finding));
  return { ...judge(check, finding, claim, ctx), ctx, out };
}

function judge(check: Check, finding: Finding | undefined | void, claim: boolean | undefined, ctx: CheckContext): { verdict: Verdict; message: string } {
  if (!finding) {
    return check.level === 'MAY' ? { verdict: 'INFO', message: 'measured' } : { verdict: 'PASS', message: 'held' };
  }
  if (typeof finding === 'object' && 'unsupported' in finding) {
    const text = finding.unsupported;
    return claim === false || claim === undefined
      ? { verdict: 'UNSUPPORTED', message: `${check.capability} not claimed and ${text}` }
      : byLevel(check, `${check.capability} is claimed but ${text}`, ctx);
  }
  if (typeof finding === 'object' && 'skip' in finding) return { verdict: 'SKIP', message: finding.skip };
  if (typeof finding === 'object' && 'ignored' in finding) return { verdict: 'IGNORED', message: withExchange(finding.ignored, ctx) };
  if (typeof finding === 'object' && 'warn' in finding) return { verdict: 'WARN', message: withExchange(finding.warn, ctx) };
  if (typeof finding === 'object' && 'lenient' in finding) {
    return { verdict: 'WARN', message: withExchange(`held only leniently: ${finding.lenient}`, ctx) };
  }
  return byLevel(check, finding, ctx);
}

/** The problem, then what was sent and what came back in the check's last exchange. */
function withExchange(problem: string, ctx: CheckContext): string {
  const last = ctx.exchanges[ctx.exchanges.length - 1];
  if (!last || problem.includes('Sent:') || problem.includes('\n  sent:')) return problem;
  return `${problem}\n  sent: ${describeRequest(last)}\n  got:  ${describeResponse(last)}`;
}

function byLevel(check: Check, problem: string, ctx: CheckContext): { verdict: Verdict; message: string } {
  const message = withExchange(problem, ctx);
  if (check.level === 'MUST') return { verdict: 'FAIL', message };
  // A MAY that does not hold is a warning too: informational, it never fails a run.
  return { verdict: 'WARN', message };
}

function buildEvidence(exchanges: Exchange[], notes: Record<string, unknown>): Evidence {
  const evidence: Evidence = { exchanges: exchanges.map(toEvidence) };
  if (Object.keys(notes).length > 0) evidence.notes = redactJson(notes);
  return evidence;
}

function toEvidence(x: Exchange): EvidenceExchange {
  const e: EvidenceExchange = { request: redactJson(x.request) };
  if (x.status !== 0) {
    const text = redactText(x.text);
    e.response = {
      status: x.status,
      headers: x.headers,
      body: text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}…` : text,
      ...(text.length > BODY_LIMIT ? { truncated: true } : {}),
    };
  }
  if (x.error) e.error = redactText(x.error);
  const events = x.sse?.events ?? [];
  e.timings = {
    headersMs: round(x.timings.headersMs),
    ttftMs: round(x.timings.ttftMs),
    totalMs: round(x.timings.totalMs),
    ...(events.length > 1 ? { gapsMs: events.slice(1).map((ev, i) => round(ev.atMs - events[i].atMs)!), events: events.length } : {}),
  };
  return e;
}

function round(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 10) / 10;
}
