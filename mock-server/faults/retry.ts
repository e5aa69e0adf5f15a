// Stateful faults for retry behaviour: what a briefly unwell server does, counted per session
// (`x-mock-session`), so a client's retries meet a server that recovers. The engine counts the
// requests of a session that carry the same fault and hands the count to the hooks (ctx.attempt);
// DELETE /__mock/journal?session=NAME starts the count again.
import type { Fault } from '../types.ts';
import { dropPlan, statusPlan } from './transport.ts';

/** "N" or "N:STATUS" */
function failFirstParam(param: string | undefined): { n: number; status: number } {
  const [n, status] = (param ?? '').split(':');
  return { n: Number(n), status: status === undefined || status === '' ? 503 : Number(status) };
}

export const retryFaults: Fault[] = [
  {
    id: 'fail-first',
    description:
      'The first N requests of the session fail with STATUS (default 503) and the OpenAI envelope (429 and 503 with retry-after: 1, 429 also retry-after-ms), then the normal answer.',
    counted: true,
    param: {
      description: 'N:STATUS, e.g. 2:429 (N from 1 to 1000, STATUS 400-599)',
      required: true,
      check: (value) => {
        const { n, status } = failFirstParam(value);
        if (!/^\d+(:\d+)?$/.test(value) || !Number.isInteger(n) || n < 1 || n > 1000) return 'expected N:STATUS with N from 1 to 1000';
        return Number.isInteger(status) && status >= 400 && status <= 599 ? null : 'expected a STATUS from 400 to 599';
      },
    },
    plan: (plan, ctx) => {
      const { n, status } = failFirstParam(ctx.param);
      return (ctx.attempt ?? 1) <= n ? statusPlan(status, plan.scenario) : plan;
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
