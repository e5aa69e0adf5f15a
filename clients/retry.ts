// Retry scenarios: what a client does when the server is briefly unwell. Each scenario is a fixture
// (its expect is the answer a recovered client assembles) plus a counted mock fault, scoped to a
// session of its own (x-mock-session), so the mock's journal shows every attempt and its time.
//
// The reference is the official SDK's documented behaviour (openai-node: 2 retries by default on
// 408/409/429/5xx and connection errors, honouring retry-after-ms / retry-after, exponential backoff
// otherwise; a 400 is not retried; a stream cut after it started is not retried, the error surfaces).
// A client that does otherwise is a finding, listed per client; it never fails the run: many clients
// (curl, the standard libraries) have no retries at all, and saying so is the point.
import type { Fixture } from '../lib/fixture-format.ts';
import { compare } from './compare.ts';
import type { Capability } from './compare.ts';

export interface RetryScenario {
  id: string;
  title: string;
  /** the fixture answered once the fault lets the request through */
  fixture: string;
  /** the counted fault, e.g. fail-first:2:429 */
  fault: string;
  kind: 'transient' | 'give-up' | 'no-retry' | 'stream-drop';
  /** the retry-after the failing answers carry, in ms */
  retryAfterMs?: number;
  /**
   * this scenario decides "honours retry-after": its retry-after is longer than any client's own first
   * backoff (openai-node about 0.5 s, the AI SDK 2 s, LangChain 1-2 s), so only a client that reads the
   * header waits that long
   */
  decidesRetryAfter?: boolean;
  /** what the reference SDK does, in words */
  reference: string;
}

export const RETRY_SCENARIOS: RetryScenario[] = [
  {
    id: 'retry-429-twice',
    title: 'Two 429s with retry-after: 1 (and retry-after-ms: 1000), then the answer',
    fixture: 'text-basic',
    fault: 'fail-first:2:429',
    kind: 'transient',
    retryAfterMs: 1000,
    reference: '3 attempts, waits 1 s before each retry, then the answer',
  },
  {
    id: 'retry-after-3s',
    title: 'A 429 with retry-after: 3 (and retry-after-ms: 3000), then the answer',
    fixture: 'text-basic',
    fault: 'fail-first:1:429:3',
    kind: 'transient',
    retryAfterMs: 3000,
    decidesRetryAfter: true,
    reference: '2 attempts, waits 3 s, then the answer',
  },
  {
    id: 'retry-503-once',
    title: 'A 503 with retry-after: 3 before a stream, then the stream',
    fixture: 'stream-text',
    fault: 'fail-first:1:503:3',
    kind: 'transient',
    retryAfterMs: 3000,
    decidesRetryAfter: true,
    reference: '2 attempts, waits 3 s, then the stream',
  },
  {
    id: 'retry-500-once',
    title: 'A 500 without retry-after, then the answer',
    fixture: 'text-basic',
    fault: 'fail-first:1:500',
    kind: 'transient',
    reference: '2 attempts, backs off about 0.5 s, then the answer',
  },
  {
    id: 'retry-give-up-503',
    title: 'Every request 503 with retry-after: 1',
    fixture: 'text-basic',
    fault: 'fail-first:1000:503',
    kind: 'give-up',
    retryAfterMs: 1000,
    reference: '3 attempts (2 retries, 1 s apart), then the 503 error',
  },
  {
    id: 'retry-no-400',
    title: 'Every request 400 (a client error: retrying cannot help)',
    fixture: 'text-basic',
    fault: 'fail-first:1000:400',
    kind: 'no-retry',
    reference: '1 attempt, the 400 error',
  },
  {
    id: 'retry-stream-drop',
    title: 'The first stream is cut (connection reset) after 2 events; a second request would get it all',
    fixture: 'stream-text',
    fault: 'drop-once-after:2',
    kind: 'stream-drop',
    reference: '1 attempt (a started stream is not retried), the error surfaces',
  },
];

export type RetryVerdict = 'OK' | 'FINDING' | 'SKIP';

export interface RetryResult {
  client: string;
  scenario: string;
  verdict: RetryVerdict;
  /** requests the mock received for this scenario */
  attempts: number;
  /** milliseconds between consecutive attempts */
  waitsMs: number[];
  /** answer | truncated answer | error STATUS | exception: ... | no output: ... */
  outcome: string;
  /** the scenario decides retry-after and the client retried: did it wait as long as asked? */
  honoursRetryAfter?: boolean;
  /** what differs from what a careful client does (empty: OK) */
  findings: string[];
  /** SKIP: why */
  reason?: string;
  output?: unknown;
}

/** A wait counts as honouring retry-after from this share of it on (timer granularity). */
const HONOURED = 0.9;
/** Below this, a retry did not back off at all. */
const NO_BACKOFF_MS = 100;

export function outcomeOf(fixture: Fixture, output: Record<string, any> | undefined, caps: Set<Capability>, failure?: string): string {
  if (!output) return `no output: ${failure ?? 'nothing printed'}`;
  if (typeof output.exception === 'string') return `exception: ${output.exception.slice(0, 120)}`;
  if (output.error && typeof output.error === 'object') return `error ${output.error.status ?? '(no status)'}`;
  return compare(fixture.expect ?? {}, output, caps).differences.length === 0 ? 'answer' : 'truncated answer';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The findings for one client in one scenario, from what the mock saw and what the client printed. */
export function judgeRetry(scenario: RetryScenario, attempts: number, waitsMs: number[], outcome: string): { findings: string[]; honoursRetryAfter?: boolean } {
  const findings: string[] = [];
  const retried = attempts > 1;
  const shortest = waitsMs.length > 0 ? Math.min(...waitsMs) : undefined;
  let honoursRetryAfter: boolean | undefined;
  if (retried && scenario.retryAfterMs !== undefined && shortest !== undefined) {
    const waited = shortest >= HONOURED * scenario.retryAfterMs;
    if (scenario.decidesRetryAfter) honoursRetryAfter = waited;
    if (!waited) findings.push(`did not wait for retry-after (waited ${seconds(shortest)}; the server asked for ${seconds(scenario.retryAfterMs)})`);
  } else if (retried && shortest !== undefined && shortest < NO_BACKOFF_MS) {
    findings.push(`retried without backing off (waited ${Math.round(shortest)} ms)`);
  }
  switch (scenario.kind) {
    case 'transient':
      if (!retried) findings.push(`no retry: gave up at once (${outcome})`);
      else if (outcome !== 'answer') findings.push(`gave up after ${attempts} attempts (${outcome})`);
      break;
    case 'give-up': {
      const status = /^error (\d+)/.exec(outcome)?.[1];
      if (!retried) findings.push(`no retry: gave up at once (${outcome})`);
      if (status !== '503') findings.push(`ended without the 503 (${outcome})`);
      break;
    }
    case 'no-retry':
      if (retried) findings.push(`retried a 400 (${attempts} attempts)`);
      if (!outcome.startsWith('error 400')) findings.push(`did not report the 400 (${outcome})`);
      break;
    case 'stream-drop':
      if (outcome === 'truncated answer') findings.push('returned the cut stream as a complete answer, without an error');
      if (outcome.startsWith('no output')) findings.push(outcome);
      break;
  }
  return honoursRetryAfter === undefined ? { findings } : { findings, honoursRetryAfter };
}

/** Per client, the answers to the questions a client guide asks. */
export interface RetrySummary {
  client: string;
  /** retries 429/503/500 and then gets the answer: yes, partly (which), no */
  retriesTransient: string;
  /** honours retry-after: yes, no, partly (on which statuses), n/a (never retried) */
  honoursRetryAfter: string;
  /** the give-up scenario: attempts and what it reported */
  givesUp: string;
  /** retries a 400: no, or yes (attempts) */
  retries400: string;
  /** a stream cut mid-way: error reported, retried, or truncated silently */
  droppedStream: string;
}

export function summarizeRetries(client: string, results: RetryResult[]): RetrySummary {
  const mine = results.filter((r) => r.client === client && r.verdict !== 'SKIP');
  const by = (kind: RetryScenario['kind']) => mine.filter((r) => RETRY_SCENARIOS.find((s) => s.id === r.scenario)?.kind === kind);
  const transient = by('transient');
  const recovered = transient.filter((r) => r.attempts > 1 && r.outcome === 'answer');
  const retriesTransient =
    transient.length === 0 ? 'n/a' : recovered.length === transient.length ? 'yes' : recovered.length === 0 ? 'no' : `partly (${recovered.map((r) => r.scenario).join(', ')})`;
  const judged = mine.filter((r) => r.honoursRetryAfter !== undefined);
  const honoured = judged.filter((r) => r.honoursRetryAfter);
  const statusOf = (r: RetryResult) => /fail-first:\d+:(\d+)/.exec(RETRY_SCENARIOS.find((s) => s.id === r.scenario)?.fault ?? '')?.[1] ?? r.scenario;
  const honoursRetryAfter =
    judged.length === 0
      ? 'n/a (no retries)'
      : honoured.length === judged.length
        ? 'yes'
        : honoured.length === 0
          ? 'no'
          : `on ${honoured.map(statusOf).join(', ')} only, not on ${judged.filter((r) => !r.honoursRetryAfter).map(statusOf).join(', ')}`;
  const giveUp = by('give-up')[0];
  const no400 = by('no-retry')[0];
  const drop = by('stream-drop')[0];
  return {
    client,
    retriesTransient,
    honoursRetryAfter,
    givesUp: giveUp ? `after ${giveUp.attempts} attempt${giveUp.attempts === 1 ? '' : 's'}: ${giveUp.outcome}` : 'n/a',
    retries400: no400 ? (no400.attempts > 1 ? `yes (${no400.attempts} attempts)` : 'no') : 'n/a',
    droppedStream: drop
      ? drop.outcome === 'answer'
        ? `retried (${drop.attempts} attempts), whole answer`
        : drop.outcome === 'truncated answer'
          ? 'truncated silently'
          : `error reported (${drop.outcome.split(':')[0]})`
      : 'n/a',
  };
}
