// The official `openai` Node SDK against the standalone mock: for every fixture with an `expect`,
// the SDK must assemble exactly that (text, reasoning, tool calls with parsed arguments,
// finish_reason, usage), or raise the right error class with the right status.
// Plus curl -N against a slow stream, to show the bytes arrive over time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import OpenAI from 'openai';
import { assembleCompletion, assembleStream, type Assembled } from '../lib/assemble.ts';
import type { Fixture } from '../lib/fixture-format.ts';
import { isStreamFixture, loadFixtures } from '../lib/fixtures.ts';
import { startMockServer } from './standalone.ts';

type Server = Awaited<ReturnType<typeof startMockServer>>;

const fixtures = loadFixtures().filter((f) => f.expect);

type ErrorClass = (new (...args: any[]) => Error) & { name: string };

/** The SDK error class for each HTTP status it names, as the SDK documents them. */
const ERROR_CLASSES: Record<number, ErrorClass> = {
  400: OpenAI.BadRequestError,
  401: OpenAI.AuthenticationError,
  403: OpenAI.PermissionDeniedError,
  404: OpenAI.NotFoundError,
  409: OpenAI.ConflictError,
  422: OpenAI.UnprocessableEntityError,
  429: OpenAI.RateLimitError,
};

/** The SDK error class for an HTTP status: its own, else InternalServerError for 5xx, else APIError. */
function errorClassFor(status: number): ErrorClass {
  return ERROR_CLASSES[status] ?? (status >= 500 ? OpenAI.InternalServerError : OpenAI.APIError);
}

/** The fields of `expect` that describe the answer (not the error). */
function answerPart(expect: Assembled): Assembled {
  const { error: _error, ...rest } = expect;
  return rest;
}

describe('the openai SDK assembles every fixture as expected', () => {
  let server: Server;
  let client: OpenAI;

  before(async () => {
    server = await startMockServer({ port: 0, host: '127.0.0.1', speed: 0, quiet: true });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test', maxRetries: 0, timeout: 10_000 });
  });
  after(async () => {
    await server?.close();
  });

  const opts = (f: Fixture) => ({ headers: { 'x-mock-scenario': f.id } });

  for (const f of fixtures) {
    const expect = f.expect!;
    const status = f.response.status;

    if (status >= 400) {
      test(`${f.id}: HTTP ${status} raises ${errorClassFor(status).name}`, async () => {
        const params = f.request as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
        const err = await client.chat.completions.create(params, opts(f)).then(
          () => assert.fail('no error raised'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof errorClassFor(status), `got ${(err as Error)?.constructor?.name}: ${String(err)}`);
        const apiError = err as InstanceType<typeof OpenAI.APIError>;
        assert.equal(apiError.status, expect.error!.status);
        assert.equal(apiError.type ?? '', expect.error!.type);
        if (expect.error!.code !== undefined) assert.equal(apiError.code ?? null, expect.error!.code);
        for (const [name, value] of Object.entries(f.response.headers)) {
          if (name === 'retry-after' || name.startsWith('x-ratelimit-')) assert.equal(apiError.headers?.get(name), value, name);
        }
      });
      continue;
    }

    if (!isStreamFixture(f)) {
      test(`${f.id}: chat.completions.create gives the expected answer`, async () => {
        const params = f.request as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
        const completion = await client.chat.completions.create(params, opts(f));
        assert.deepEqual(assembleCompletion(completion), expect);
      });
      continue;
    }

    test(`${f.id}: stream: true iteration gives the expected chunks`, async () => {
      const params = { ...f.request, stream: true } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
      const stream = await client.chat.completions.create(params, opts(f));
      const seen: { data: string }[] = [];
      let raised: unknown;
      try {
        for await (const chunk of stream) seen.push({ data: JSON.stringify(chunk) });
      } catch (e) {
        raised = e;
      }
      if (expect.error) {
        // An `{"error": ...}` event inside a 200 stream: the SDK stops and throws a plain APIError
        // (no HTTP status: the response had already started with 200), carrying the error's type/code.
        // What arrived before the error assembles to the partial answer.
        assert.ok(raised instanceof OpenAI.APIError, `expected an APIError, got ${String(raised)}`);
        assert.equal(raised.status, undefined);
        assert.equal(raised.type ?? '', expect.error.type);
        if (expect.error.code !== undefined) assert.equal(raised.code ?? null, expect.error.code);
        assert.deepEqual(assembleStream(seen), answerPart(expect));
        return;
      }
      if (raised) throw raised;
      assert.deepEqual(assembleStream(seen), expect);
    });

    if (expect.error) continue; // the helper below throws the same APIError
    test(`${f.id}: the SDK's own accumulator (chat.completions.stream → finalChatCompletion)`, async () => {
      const params = { ...f.request, stream: true } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
      const runner = client.chat.completions.stream(params, opts(f));
      const final = await runner.finalChatCompletion();
      const got = assembleCompletion(final);
      if (expect.reasoning !== undefined) {
        // The SDK's ChatCompletionStream knows no `reasoning_content`: it copies unknown delta fields
        // onto the message with Object.assign, so the last delta's value wins instead of the
        // concatenation (DeepSeek sends reasoning_content: null once the answer starts).
        // Reasoning must be read from the chunks (the iteration test above does).
        assert.notEqual(got.reasoning, expect.reasoning);
        assert.deepEqual({ ...got, reasoning: expect.reasoning }, expect);
        return;
      }
      assert.deepEqual(got, expect);
    });
  }
});

describe('curl -N shows a slow stream arriving over time', () => {
  let server: Server;
  before(async () => {
    // speed 3: every recorded delay takes three times as long (stream-text: about 0.7 s in all)
    server = await startMockServer({ port: 0, host: '127.0.0.1', speed: 3, quiet: true });
  });
  after(async () => {
    await server?.close();
  });

  test('curl -N prints data lines at different times', async () => {
    const fixture = loadFixtures().find((f) => f.id === 'stream-text')!;
    const arrivals: { atMs: number; line: string }[] = [];
    const started = performance.now();
    const code = await new Promise<number>((resolve, reject) => {
      const curl = spawn(
        'curl',
        [
          '-N',
          '-s',
          '--max-time',
          '20',
          '-H',
          'content-type: application/json',
          '-H',
          'authorization: Bearer test',
          '-H',
          'x-mock-scenario: stream-text',
          '--data-binary',
          JSON.stringify(fixture.request),
          `${server.url}/v1/chat/completions`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let pending = '';
      curl.stdout.setEncoding('utf8');
      curl.stdout.on('data', (text: string) => {
        const atMs = performance.now() - started;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('data:')) arrivals.push({ atMs, line });
      });
      curl.on('error', reject);
      curl.on('close', (c) => resolve(c ?? -1));
    });
    assert.equal(code, 0, 'curl exit code');
    const expectedLines = fixture.response.writes!.length;
    assert.equal(arrivals.length, expectedLines, 'one data line per event');
    assert.equal(arrivals.at(-1)!.line, 'data: [DONE]');
    const distinct = new Set(arrivals.map((a) => Math.round(a.atMs / 5))).size;
    const spread = arrivals.at(-1)!.atMs - arrivals[0].atMs;
    // the recorded gaps after the first write add up to about 200 ms; at speed 3, about 600 ms
    const recordedGaps = fixture.response.writes!.slice(1).reduce((n, w) => n + w.delay, 0);
    assert.ok(spread > recordedGaps * 1.5, `the lines arrived within ${spread.toFixed(0)} ms (gaps ${recordedGaps} ms at speed 3)`);
    assert.ok(distinct >= expectedLines / 2, `only ${distinct} distinct arrival times for ${expectedLines} lines`);
  });
});
