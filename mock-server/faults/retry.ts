// Stateful faults for retry behaviour: what a briefly unwell server does, counted per session
// (`x-mock-session`), so a client's retries meet a server that recovers. The engine counts the
// requests of a session that carry the same fault and hands the count to the hooks (ctx.attempt);
// DELETE /__mock/journal?session=NAME starts the count again.
import type { Fault, ResponsePlan } from '../types.ts';
import { dropPlan, statusPlan } from './transport.ts';

/** "N", "N:STATUS" or "N:STATUS:SECONDS" */
function failFirstParam(param: string | undefined): { n: number; status: number; retryAfter?: number } {
  const [n, status, seconds] = (param ?? '').split(':');
  const out = { n: Number(n), status: status === undefined || status === '' ? 503 : Number(status) };
  return seconds === undefined ? out : { ...out, retryAfter: Number(seconds) };
}

/** The failing answer with retry-after SECONDS (and retry-after-ms, as OpenAI sends beside it). */
function withRetryAfter(plan: ResponsePlan, seconds: number | undefined): ResponsePlan {
  if (seconds === undefined) return plan;
  return { ...plan, headers: { ...plan.headers, 'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000) } };
}

export const retryFaults: Fault[] = [
  {
    id: 'fail-first',
    description:
      'The first N requests of the session fail with STATUS (default 503) and the OpenAI envelope, then the normal answer. 429 and 503 carry retry-after: 1 (429 also retry-after-ms); SECONDS sets retry-after and retry-after-ms on any status.',
    counted: true,
    param: {
      description: 'N:STATUS[:SECONDS], e.g. 2:429 or 1:503:3 (N from 1 to 1000, STATUS 400-599, SECONDS 0-600)',
      required: true,
      check: (value) => {
        const { n, status, retryAfter } = failFirstParam(value);
        if (!/^\d+(:\d+(:\d+)?)?$/.test(value) || !Number.isInteger(n) || n < 1 || n > 1000) return 'expected N:STATUS[:SECONDS] with N from 1 to 1000';
        if (retryAfter !== undefined && retryAfter > 600) return 'expected SECONDS from 0 to 600';
        return Number.isInteger(status) && status >= 400 && status <= 599 ? null : 'expected a STATUS from 400 to 599';
      },
    },
    plan: (plan, ctx) => {
      const { n, status, retryAfter } = failFirstParam(ctx.param);
      return (ctx.attempt ?? 1) <= n ? withRetryAfter(statusPlan(status, plan.scenario), retryAfter) : plan;
    },
  },
  {
    id: 'drop-once-after',
    description:
      "The session's first request is cut after K stream events (non-stream: after half of the body) by a connection reset; later requests are answered in full.",
    counted: true,
    eventAligned: true,
    param: {
      description: 'K: events written before the drop (default 3)',
      check: (value) => (/^\d+$/.test(value) && Number(value) <= 1_000_000 ? null : 'expected an integer from 0 to 1000000'),
    },
    plan: (plan, ctx) => ((ctx.attempt ?? 1) === 1 ? dropPlan(plan, ctx, ctx.param === undefined ? 3 : Number(ctx.param)) : plan),
  },
];
