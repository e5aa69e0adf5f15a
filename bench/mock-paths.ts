// The requests the mock benchmark sends, and the exact bytes the mock answers each with (captured once
// from the engine, so that the baselines write the same bytes).
import { loadFixtures } from '../lib/fixtures.ts';
import { createEngine } from '../mock-server/engine.ts';
import { mockRequest } from '../test-support/mock.ts';

export interface BenchPath {
  id: string;
  label: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** a different user message on every request (defeats any caching by request body) */
  varied?: boolean;
}

/** What a server answers for a path: status, headers, and one buffer per write (SSE: per event). */
export interface CapturedAnswer {
  status: number;
  headers: Record<string, string>;
  writes: Buffer[];
}

const QUESTION = 'Say hello in five words.';

function synthBody(stream: boolean): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }], ...(stream ? { stream: true } : {}) };
}

function fixtureRequest(id: string): Record<string, unknown> {
  const fixture = loadFixtures().find((f) => f.id === id);
  if (!fixture) throw new Error(`bench: no fixture ${id}`);
  return fixture.request as Record<string, unknown>;
}

export const PATHS: BenchPath[] = [
  { id: 'synth-json', label: 'synthesized, JSON', headers: {}, body: synthBody(false) },
  { id: 'synth-stream', label: 'synthesized, stream', headers: {}, body: synthBody(true) },
  { id: 'fixture-json', label: 'fixture text-basic', headers: { 'x-mock-scenario': 'text-basic' }, body: fixtureRequest('text-basic') },
  { id: 'fixture-stream', label: 'fixture stream-text', headers: { 'x-mock-scenario': 'stream-text' }, body: fixtureRequest('stream-text') },
  { id: 'synth-json-varied', label: 'synthesized, JSON, a new message each request', headers: {}, body: synthBody(false), varied: true },
  { id: 'synth-stream-varied', label: 'synthesized, stream, a new message each request', headers: {}, body: synthBody(true), varied: true },
];

/** The body of the n-th request of a path. */
export function bodyFor(path: BenchPath, n: number): string {
  if (!path.varied) return JSON.stringify(path.body);
  return JSON.stringify({ ...path.body, messages: [{ role: 'user', content: `${QUESTION} (request ${n})` }] });
}

/**
 * The mock's answer to each path, one buffer per SSE event. (At speed 0 the mock sends a synthesized
 * stream as one write; a chunk delay, given for the capture only, makes it plan one write per event.)
 */
export function captureAnswers(): Record<string, CapturedAnswer> {
  const engine = createEngine({ fixtures: loadFixtures(), speed: 0 });
  const out: Record<string, CapturedAnswer> = {};
  for (const path of PATHS) {
    const headers = { 'content-type': 'application/json', 'x-mock-chunk-delay-ms': '1', ...path.headers };
    const plan = engine.handleSync(mockRequest('POST', '/v1/chat/completions', bodyFor(path, 0), headers));
    if (plan.status !== 200) throw new Error(`bench: ${path.id} answered ${plan.status}`);
    out[path.id] = { status: plan.status, headers: plan.headers, writes: plan.writes.filter((w) => w.bytes.byteLength > 0).map((w) => Buffer.from(w.bytes)) };
  }
  return out;
}
