// How the runner turns findings into verdicts, end to end against the standalone mock:
// REPEAT (pass@k, pass^k), expected failures (KNOWN), unclaimed capabilities refused cleanly
// (UNSUPPORTED) or dirtily (FAIL), claimed capabilities refused (FAIL); and the rules of "How the suite
// judges": one cause one FAIL, inconclusive answers SKIP, auth as a claim, no calendar.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultProfile, type RunConfig } from '../lib/config.ts';
import { startMockServer, type RunningMockServer } from '../mock-server/standalone.ts';
import { allChecks } from './checks/index.ts';
import { runCheck } from './runner/run-check.ts';
import { NO_DELAYS } from '../test-support/mock.ts';

const MODEL = 'mock-gpt';
let server: RunningMockServer;

before(async () => {
  server = await startMockServer({ port: 0, speed: 0, quiet: true });
});

after(async () => {
  await server?.close();
});

function config(patch: { capabilities?: Record<string, boolean>; fault?: string; repeat?: number; expected?: { id: string; reason: string }[] } = {}): RunConfig {
  const profile = defaultProfile();
  profile.auth = { style: 'none' };
  profile.timeouts = { request: 5_000, idle: 2_000, check: 10_000 };
  profile.capabilities = patch.capabilities ?? {};
  profile.expectedFailures = patch.expected ?? [];
  return {
    baseUrl: `${server.url}/v1`,
    model: MODEL,
    profile,
    repeat: patch.repeat ?? 1,
    reportDir: 'reports',
    mock: true,
    extraHeaders: patch.fault ? { 'x-mock-fault': patch.fault } : {},
  };
}

const check = (id: string) => {
  const c = allChecks.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
};

test('REPEAT runs a model-dependent check k times and reports pass@k and pass^k', async () => {
  const ok = await runCheck(check('tools.auto'), config({ repeat: 3 }), MODEL);
  assert.equal(ok.verdict, 'PASS');
  assert.deepEqual(ok.repeat, { k: 3, passes: 3, passAtK: true, passHatK: true });

  const bad = await runCheck(check('tools.auto'), config({ repeat: 3, fault: 'tools.auto-ignored' }), MODEL);
  assert.equal(bad.verdict, 'WARN');
  assert.deepEqual(bad.repeat, { k: 3, passes: 0, passAtK: false, passHatK: false });
  assert.match(bad.message, /pass 0\/3/);
});

test('protocol checks run once whatever REPEAT says', async () => {
  const r = await runCheck(check('core.completion.schema'), config({ repeat: 5 }), MODEL);
  assert.equal(r.verdict, 'PASS');
  assert.equal(r.repeat, undefined);
  assert.equal(r.evidence?.exchanges.length, 1);
});

test('an expected failure from the profile is KNOWN, with its reason', async () => {
  const r = await runCheck(check('stream.done-sentinel'), config({ fault: 'no-done', expected: [{ id: 'stream.done-sentinel', reason: 'ticket 123' }] }), MODEL);
  assert.equal(r.verdict, 'KNOWN');
  assert.match(r.message, /^expected failure \(ticket 123\): no data: \[DONE\]/);
});

test('a capability not claimed and refused cleanly is UNSUPPORTED; claimed, the same refusal FAILs', async () => {
  const unclaimed = await runCheck(check('vision.data-url'), config({ capabilities: { vision: false }, fault: 'status:400' }), MODEL);
  assert.equal(unclaimed.verdict, 'UNSUPPORTED', unclaimed.message);
  const claimed = await runCheck(check('vision.data-url'), config({ capabilities: { vision: true }, fault: 'status:400' }), MODEL);
  assert.equal(claimed.verdict, 'FAIL', claimed.message);
});

test('an unclaimed capability refused without the OpenAI error envelope FAILs', async () => {
  const r = await runCheck(check('n.two-choices'), config({ capabilities: { n: false }, fault: 'status:400,malformed-json' }), MODEL);
  assert.equal(r.verdict, 'FAIL', r.message);
  assert.match(r.message, /refused without a clean OpenAI error/);
});

test('every result names its re-run command and the fault that proves it', async () => {
  const r = await runCheck(check('core.object'), config(), MODEL);
  assert.equal(r.rerun, 'npx playwright test -g "core.object:"');
  assert.equal(typeof r.fault, 'string');
  assert.ok(r.requirement.length > 10);
});

// ---------------------------------------------------------------------------------------------
// Judge the protocol, never the model or the calendar (README "How the suite judges").

/** A server answering every request with what `answer` says (a stand-in for a real endpoint). */
async function canned(answer: (method: string, path: string) => { status: number; body: unknown; type?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answer(req.method ?? 'GET', req.url ?? '/');
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function against(url: string, patch: Partial<RunConfig> = {}): RunConfig {
  return { ...config(), baseUrl: `${url}/v1`, mock: false, ...patch };
}

/** The result of check `id` against a server that answers every request as `answer` says. */
async function judgedAgainst(answer: Parameters<typeof canned>[0], id: string) {
  const server = await canned(answer);
  try {
    return await runCheck(check(id), against(server.url), MODEL);
  } finally {
    await server.close();
  }
}

function completion(content: string, finish: string) {
  return { id: 'c1', object: 'chat.completion', created: 1_700_000_000, model: MODEL, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }] };
}

test('one cause, one FAIL: a shared request answered 500 fails the check that owns it, the others SKIP naming it', async () => {
  const { requestKey } = await import('./runner/context.ts');
  const { CHAT } = await import('./checks/support/requests.ts');
  const sharing = allChecks.filter((c) => !('run' in c) && typeof c.request !== 'function' && requestKey(c.request) === requestKey(CHAT));
  assert.ok(sharing.length >= 8, `${sharing.length} checks share the plain chat request`);
  const results = await Promise.all(sharing.map((c) => runCheck(c, config({ fault: 'status:500' }), MODEL)));
  const failed = results.filter((r) => r.verdict === 'FAIL');
  assert.deepEqual(failed.map((r) => r.id), ['core.completion.schema']);
  assert.match(failed[0].message, /500/);
  for (const r of results.filter((x) => x.id !== 'core.completion.schema')) {
    assert.ok(r.verdict === 'SKIP' || r.verdict === 'PASS', `${r.id}: ${r.verdict} ${r.message}`);
    if (r.verdict === 'SKIP') assert.match(r.message, /^prerequisite failed: core\.completion\.schema/);
  }
});

test('one cause, one FAIL: a stream that breaks fails stream.done-sentinel, the other stream checks SKIP or hold', async () => {
  const ids = ['stream.done-sentinel', 'stream.content-type', 'stream.events-json', 'stream.chunk.schema', 'stream.finish-reason.once', 'stream.done-last'];
  const results = await Promise.all(ids.map((id) => runCheck(check(id), config({ fault: 'drop-after:2' }), MODEL)));
  const failed = results.filter((r) => r.verdict === 'FAIL').map((r) => r.id);
  assert.deepEqual(failed, ['stream.done-sentinel']);
  for (const r of results.filter((x) => x.verdict === 'SKIP')) assert.match(r.message, /^prerequisite failed: stream\.done-sentinel/);
});

test('inconclusive is not FAIL: JSON cut by max_tokens SKIPs; text that is not even the start of JSON FAILs', async () => {
  let content = '{"city": "Paris", "country": "Fr';
  const server = await canned(() => ({ status: 200, body: completion(content, 'length') }));
  try {
    const cut = await runCheck(check('structured.json-schema.parses'), against(server.url), MODEL);
    assert.equal(cut.verdict, 'SKIP', cut.message);
    assert.match(cut.message, /cut by max_tokens \(256\) before the end of the JSON document/);
    content = 'Sure! Here is the JSON you asked for';
    const prose = await runCheck(check('structured.json-object'), against(server.url), MODEL);
    assert.equal(prose.verdict, 'FAIL', prose.message);
  } finally {
    await server.close();
  }
});

test('inconclusive is not FAIL: a forced tool call cut by max_tokens SKIPs, a stream that never stops SKIPs finish-stop', async () => {
  const r = await judgedAgainst(() => ({ status: 200, body: completion('', 'length') }), 'tools.named.tool-calls');
  assert.equal(r.verdict, 'SKIP', r.message);
  assert.match(r.message, /before a tool call/);
  const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1_700_000_000, model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  // (two servers: the run's cache answers an identical request to the same endpoint once)
  const streamOf = (text: string) => canned(() => ({ status: 200, type: 'text/event-stream', body: `${chunk({ role: 'assistant', content: text }, null)}${chunk({}, 'length')}data: [DONE]\n\n` }));
  const long = await streamOf('word '.repeat(200));
  const short = await streamOf('Hello there, friend.');
  try {
    const cut = await runCheck(check('stream.finish-stop'), against(long.url), MODEL);
    assert.equal(cut.verdict, 'SKIP', cut.message);
    const lie = await runCheck(check('stream.finish-stop'), against(short.url), MODEL);
    assert.equal(lie.verdict, 'FAIL', lie.message);
    assert.match(lie.message, /cannot hold 512 tokens/);
  } finally {
    await long.close();
    await short.close();
  }
});

test('inconclusive is not FAIL: a clean 400 about the context size SKIPs', async () => {
  const message = 'request (8453 tokens) exceeds the available context size (2048 tokens), try increasing it';
  const r = await judgedAgainst(() => ({ status: 400, body: { error: { code: 400, message, type: 'exceed_context_size_error' } } }), 'core.completion.schema');
  assert.equal(r.verdict, 'SKIP', r.message);
  assert.match(r.message, /context is too small/);
});

test('models.retrieve.unknown-404 SKIPs when GET /models/{the model in use} is itself a 404', async () => {
  const r = await judgedAgainst(() => ({ status: 404, body: { error: { message: 'File Not Found', type: 'not_found_error', code: 404 } } }), 'models.retrieve.unknown-404');
  assert.equal(r.verdict, 'SKIP', r.message);
  assert.match(r.message, /route is missing/);
});

test('auth is a claim: no key and no claim SKIP; a key but no claim WARNs; a claim FAILs', async () => {
  const open = await canned(() => ({ status: 200, body: completion('Hello.', 'stop') }));
  try {
    const bearer = (capabilities: Record<string, boolean>, apiKey?: string): RunConfig => {
      const c = against(open.url, { apiKey });
      c.profile = { ...c.profile, auth: { style: 'bearer' }, capabilities };
      return c;
    };
    const noKey = await runCheck(check('auth.wrong-key'), bearer({}), MODEL);
    assert.equal(noKey.verdict, 'SKIP');
    assert.match(noKey.message, /no API_KEY/);
    const unclaimed = await runCheck(check('auth.wrong-key'), bearer({}, 'sk-test-key-for-verdicts'), MODEL);
    assert.equal(unclaimed.verdict, 'WARN', unclaimed.message);
    assert.match(unclaimed.message, /accepts requests without a valid key/);
    const claimed = await runCheck(check('auth.wrong-key'), bearer({ auth: true }, 'sk-test-key-for-verdicts'), MODEL);
    assert.equal(claimed.verdict, 'FAIL', claimed.message);
  } finally {
    await open.close();
  }
});

test('no calendar: created is judged as plausible seconds; a future value only against the response\'s Date header and our clock both', async () => {
  const { createdProblem } = await import('./checks/support/validators.ts');
  const sent = Date.UTC(2030, 0, 1);
  const date = new Date(sent).toUTCString();
  const s = Math.floor(sent / 1000);
  assert.equal(createdProblem(1_700_000_000, date, sent), undefined, 'a value of 2023, long before the response was sent');
  assert.equal(createdProblem(s + 3_600, date, sent), undefined, 'an hour ahead (clock skew)');
  assert.match(createdProblem(1_700_000_000_000, date, sent)!, /milliseconds/);
  assert.match(createdProblem(1_000_000_000, date, sent)!, /before 2015/);
  assert.match(createdProblem(1_700_000_000.5, date, sent)!, /not an integer/);
  assert.match(createdProblem(s + 2 * 86_400, date, sent)!, /more than a day after the response's Date header/);
  // our clock behind the server's (a replay recorded later than our calendar says): the server's Date decides
  assert.match(createdProblem(s + 2 * 86_400, date, sent - 365 * 86_400_000)!, /more than a day after/);
  // our clock ahead (or the server's Date wrong by a year): a value that is current for us is no FAIL
  assert.equal(createdProblem(s + 365 * 86_400, date, sent + 365 * 86_400_000), undefined);
  // without a Date header (a replay that does not claim to be sent now) only the unit is judged
  assert.equal(createdProblem(4_000_000_000, undefined, sent), undefined);
  assert.equal(createdProblem(4_000_000_000, 'not a date', sent), undefined);
});

test('inconclusive is not FAIL: a stream still generating at the suite\'s request limit SKIPs; one that finished and never ends FAILs', async () => {
  const { createServer } = await import('node:http');
  const chunk = (delta: object) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1_700_000_000, model: MODEL, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const slow = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk({ role: 'assistant', content: '' }));
    const timer = setInterval(() => res.write(chunk({ content: 'word ' })), 20);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
  try {
    const c = against(url);
    c.profile = { ...c.profile, timeouts: { request: 400, idle: 300, check: 5_000 } };
    const r = await runCheck(check('stream.done-sentinel'), c, MODEL);
    assert.equal(r.verdict, 'SKIP', r.message);
    assert.match(r.message, /still generating when the suite's request limit ran out/);
  } finally {
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  }
  // the whole answer at once (no synthesizer delays), then keep-alive comments: finished, never ending
  const atOnce = config({ fault: 'never-end:50' });
  atOnce.extraHeaders = { ...atOnce.extraHeaders, ...NO_DELAYS };
  const neverEnds = await runCheck(check('stream.done-sentinel'), { ...atOnce, profile: { ...config().profile, timeouts: { request: 600, idle: 400, check: 5_000 } } }, MODEL);
  assert.equal(neverEnds.verdict, 'FAIL', neverEnds.message);
  // a stream that stalls and is then cut by the deadline (idle longer than the request limit) is a stall
  const stalled = await runCheck(check('stream.done-sentinel'), { ...config({ fault: 'stall-after:2' }), profile: { ...config().profile, timeouts: { request: 5_000, idle: 30_000, check: 10_000 } } }, MODEL);
  assert.equal(stalled.verdict, 'FAIL', stalled.message);
});

test('a clean refusal of the developer role is a WARN, not a PASS (users report it as breaking them)', async () => {
  const server = await canned(() => ({ status: 400, body: { error: { message: "Unexpected message role 'developer'.", type: 'invalid_request_error', param: 'messages', code: null } } }));
  try {
    const r = await runCheck(check('core.messages.developer'), against(server.url), MODEL);
    assert.equal(r.verdict, 'WARN', r.message);
    assert.match(r.message, /developer role was refused cleanly/);
  } finally {
    await server.close();
  }
});

test('the checks that reach past the context SKIP when its size is unknown, and read it from GET /models when it is given', async () => {
  const endpoint = (meta?: object) =>
    canned((_method, path) =>
      path.endsWith('/models')
        ? { status: 200, body: { object: 'list', data: [{ id: MODEL, object: 'model', created: 1_700_000_000, owned_by: 'x', ...(meta ? { meta } : {}) }] } }
        : { status: 400, body: { error: { message: 'the request exceeds the available context size', type: 'exceed_context_size_error', param: null, code: 'context_length_exceeded' } } },
    );
  const unknown = await endpoint();
  const known = await endpoint({ n_ctx: 512 });
  try {
    const skipped = await runCheck(check('errors.context-overflow'), against(unknown.url), MODEL);
    assert.equal(skipped.verdict, 'SKIP', skipped.message);
    assert.match(skipped.message, /context size of mock-gpt is unknown/);
    const judged = await runCheck(check('errors.context-overflow'), against(known.url), MODEL);
    assert.equal(judged.verdict, 'PASS', judged.message);
    assert.deepEqual((judged.evidence?.notes as Record<string, unknown>).contextWindow, { tokens: 512, from: 'GET /models (meta.n_ctx)' });
  } finally {
    await unknown.close();
    await known.close();
  }
});
