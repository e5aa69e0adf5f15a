// The recorder: captures real answers of an OpenAI-compatible endpoint as fixtures.
// - replay mode (recordOnce, here): sends one request body to TARGET/chat/completions and records the answer;
// - proxy mode (startRecordingProxy, recording-proxy.ts): listens locally, forwards every request to the
//   target, streams the answer through to the client as it arrives, and writes one fixture per chat completion.
// What is recorded (capture.ts): the status, a few interesting headers (redacted), and for streams every
// network read's exact bytes with the delay before it. The fixture and its file: recorded-fixture.ts.
import type { Fixture } from '../lib/fixture-format.ts';
import { authHeaders, captureBody, chatUrl, keptHeaders, type Capture, type RecordTarget } from './capture.ts';
import { buildFixture, outPath, writeFixtureAtomic } from './recorded-fixture.ts';

export interface RecordOnceOptions extends RecordTarget {
  /** the request body */
  request: Record<string, unknown>;
  /** where to write: a .yaml path, or a path without extension (".yaml" is added); the id is its base name */
  out: string;
  title?: string;
  /** appended to source.notes (e.g. what the target is) */
  notes?: string;
  signal?: AbortSignal;
  /** clock, for tests */
  now?: () => Date;
}

export interface RecordResult {
  file: string;
  fixture: Fixture;
}

/** Replay mode: send the request, capture the answer, write the fixture. */
export async function recordOnce(options: RecordOnceOptions): Promise<RecordResult> {
  const { file, id } = outPath(options.out); // a bad name fails before anything is sent
  const url = chatUrl(options.target);
  const startedAt = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers, ...authHeaders(options) },
    body: JSON.stringify(options.request),
    signal: options.signal,
  });
  const reads = await captureBody(response.body, startedAt);
  options.signal?.throwIfAborted();
  const capture: Capture = { status: response.status, headers: keptHeaders(response.headers), reads };
  const fixture = buildFixture({
    id,
    title: options.title,
    target: options.target,
    request: options.request,
    capture,
    at: (options.now ?? (() => new Date()))(),
    mode: 'replay',
    notes: options.notes,
  });
  writeFixtureAtomic(file, fixture);
  return { file, fixture };
}
