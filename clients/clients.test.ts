// The client harness, run as a test: every client (Node SDKs, curl, Python, Java, Go — a client that
// cannot run here is SKIP) against every fixture with an expect, on a mock server of its own.
// Asserts a result for every (client, scenario), no unexpected FAIL; negative controls prove that the
// harness can fail (a doctored expect, a crashing client, a waiver limited to other fields).
// Retry scenarios: every client has a row; the official SDK behaves as documented (the reference);
// clients without retries show as findings, which never fail the run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFixtures } from '../lib/fixtures.ts';
import type { Fixture } from '../lib/fixture-format.ts';
import { compare } from './compare.ts';
import type { Capability } from './compare.ts';
import { loadWaivers, runHarness, waiverMatches } from './harness.ts';
import type { HarnessReport, Waiver } from './harness.ts';
import { CLIENTS, findClients } from './registry.ts';
import type { ClientSpec } from './registry.ts';
import { writeReports } from './report.ts';
import { RETRY_SCENARIOS } from './retry.ts';
import { startMock } from './run.ts';

const allFixtures = loadFixtures();
const fixtures = allFixtures.filter((f) => f.expect);
const waivers = loadWaivers();
let mock: { url: string; close(): Promise<void> };
let full: HarnessReport;

before(async () => {
  mock = await startMock();
});
after(async () => {
  await mock?.close();
});

function doctor(id: string, change: (f: Fixture) => void): Fixture {
  const original = fixtures.find((f) => f.id === id);
  assert.ok(original, `fixture ${id}`);
  const copy = structuredClone(original) as Fixture;
  change(copy);
  return copy;
}

test('every client gives a result for every fixture with an expect, and nothing FAILs unexpectedly', { timeout: 240_000 }, async () => {
  const started = Date.now();
  full = await runHarness({ mockUrl: mock.url, clients: CLIENTS, fixtures, waivers, concurrency: 2, retryScenarios: RETRY_SCENARIOS, allFixtures });
  const seconds = (Date.now() - started) / 1000;
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures with an expect`);
  for (const client of CLIENTS) {
    const mine = full.results.filter((r) => r.client === client.name);
    assert.deepEqual(
      mine.map((r) => r.scenario).sort(),
      fixtures.map((f) => f.id).sort(),
      `${client.name}: one result per fixture`,
    );
    const info = full.clients.find((c) => c.name === client.name)!;
    // the Node clients and Python must really run here; the others may be absent (then all SKIP with the reason)
    if (!info.available) assert.match(info.skipped ?? '', /\w/, `${client.name}: a reason to skip`);
    if (client.language.startsWith('TypeScript') || client.name === 'python-stdlib') {
      assert.ok(info.available, `${client.name} must be available`);
      assert.ok(mine.filter((r) => r.verdict === 'PASS').length >= fixtures.length / 3, `${client.name}: too few PASS`);
    }
  }
  const fails = full.results.filter((r) => r.verdict === 'FAIL');
  assert.deepEqual(
    fails.map((r) => `${r.client} × ${r.scenario}: ${r.diff}`),
    [],
    'unexpected FAILs (fix the client, or waive a real client bug in clients/known.yaml with its reason)',
  );
  const stale = full.results.filter((r) => r.note);
  assert.deepEqual(stale.map((r) => `${r.client} × ${r.scenario}: ${r.note}`), [], 'stale waivers in clients/known.yaml');
  console.log(
    `clients harness: ${full.summary.PASS} PASS, ${full.summary.KNOWN} KNOWN, ${full.summary.SKIP} SKIP in ${seconds.toFixed(1)} s; ` +
      full.clients.map((c) => `${c.name} ${c.available ? `${(c.durationMs / 1000).toFixed(1)} s` : 'not available'}`).join(', '),
  );
});

test('retry scenarios: a row per client; the official SDK does what its documentation says; clients without retries are findings', () => {
  assert.ok(full, 'the full run happened');
  for (const client of CLIENTS) {
    const mine = full.retries.filter((r) => r.client === client.name);
    assert.deepEqual(mine.map((r) => r.scenario), RETRY_SCENARIOS.map((s) => s.id), `${client.name}: one result per retry scenario`);
  }
  // the reference: openai-node with its default retries (2, on 429/5xx, retry-after honoured, no retry of a 400)
  const sdk = new Map(full.retries.filter((r) => r.client === 'openai-node').map((r) => [r.scenario, r]));
  const expected: Record<string, [number, string]> = {
    'retry-429-twice': [3, 'answer'],
    'retry-after-3s': [2, 'answer'],
    'retry-503-once': [2, 'answer'],
    'retry-500-once': [2, 'answer'],
    'retry-give-up-503': [3, 'error 503'],
    'retry-no-400': [1, 'error 400'],
  };
  for (const [id, [attempts, outcome]] of Object.entries(expected)) {
    const r = sdk.get(id)!;
    assert.equal(r.attempts, attempts, `openai-node × ${id}: attempts`);
    assert.equal(r.outcome, outcome, `openai-node × ${id}: outcome`);
    assert.deepEqual(r.findings, [], `openai-node × ${id}: findings`);
  }
  assert.equal(sdk.get('retry-stream-drop')!.attempts, 1, 'a started stream is not retried');
  assert.match(sdk.get('retry-stream-drop')!.outcome, /^(exception|error)/, 'the cut stream surfaces as an error');
  const summary = full.retrySummary.find((s) => s.client === 'openai-node')!;
  assert.deepEqual([summary.retriesTransient, summary.honoursRetryAfter, summary.retries400], ['yes', 'yes', 'no']);
  // urllib has no retries: a finding in each transient scenario, never a FAIL of the run
  const stdlib = full.retries.filter((r) => r.client === 'python-stdlib' && RETRY_SCENARIOS.find((s) => s.id === r.scenario)!.kind === 'transient');
  assert.ok(stdlib.length > 0 && stdlib.every((r) => r.verdict === 'FINDING' && r.attempts === 1 && /^no retry/.test(r.findings[0])));
  assert.equal(full.unexpected, 0);
});

test('every waiver in known.yaml names a known client, matches fixtures, and is used', () => {
  assert.ok(full, 'the full run happened');
  for (const w of waivers) {
    assert.ok(CLIENTS.some((c) => c.name === w.client), `waiver for unknown client ${w.client}`);
    const matched = fixtures.filter((f) => waiverMatches(w, w.client, f));
    assert.ok(matched.length > 0, `waiver ${w.client} × ${w.scenario} matches no fixture with an expect`);
    for (const id of Array.isArray(w.scenario) ? w.scenario : [w.scenario])
      if (!/[*?]/.test(id)) assert.ok(fixtures.some((f) => f.id === id), `waiver for unknown scenario ${id}`);
    if (!full.clients.find((c) => c.name === w.client)?.available) continue;
    const used = full.results.filter((r) => r.client === w.client && r.verdict === 'KNOWN' && matched.some((f) => f.id === r.scenario));
    assert.ok(used.length > 0, `waiver ${w.client} × ${w.scenario} is not used by any result: delete it`);
  }
});

test('the reports are written: clients.json has clients and results, clients.html the matrix', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clients-report-'));
  try {
    const files = writeReports(full, fixtures, dir);
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    assert.ok(Array.isArray(json.clients) && json.clients.every((c: any) => c.name && c.language && c.version));
    assert.ok(json.results.every((r: any) => r.client && r.scenario && ['PASS', 'FAIL', 'KNOWN', 'SKIP'].includes(r.verdict) && typeof r.diff === 'string'));
    assert.equal(json.retries.length, CLIENTS.length * RETRY_SCENARIOS.length);
    assert.ok(json.retrySummary.every((r: any) => r.client && r.retriesTransient && r.honoursRetryAfter && r.givesUp && r.retries400 && r.droppedStream));
    const html = readFileSync(files.html, 'utf8');
    for (const c of CLIENTS) assert.ok(html.includes(`>${c.name}</th>`), `${c.name} column`);
    for (const f of fixtures) assert.ok(html.includes(`>${f.id}</th>`), `${f.id} row`);
    assert.ok(html.includes('<h2>Retry behaviour</h2>'));
    for (const s of RETRY_SCENARIOS) assert.ok(html.includes(`>${s.id}<div`), `${s.id} row`);
    assert.ok(!/<script/i.test(html), 'self-contained, no script needed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('negative control: a doctored expect makes a real client FAIL with a readable diff', async () => {
  const python = findClients(['python-stdlib']);
  const doctored = [
    doctor('text-basic', (f) => (f.expect!.content = 'Bonsoir !')),
    doctor('stream-tool-call-split-escape-utf8', (f) => ((f.expect!.tool_calls![0].arguments as any).note = 'cafe')),
    doctor('error-429-rate-limit', (f) => (f.expect!.error!.type = 'tokens')),
  ];
  const report = await runHarness({ mockUrl: mock.url, clients: python, fixtures: doctored, waivers: [] });
  const by = new Map(report.results.map((r) => [r.scenario, r]));
  assert.equal(by.get('text-basic')?.verdict, 'FAIL');
  assert.equal(by.get('text-basic')?.diff, 'content: expected "Bonsoir !", got "Bonjour !"');
  assert.equal(by.get('stream-tool-call-split-escape-utf8')?.verdict, 'FAIL');
  assert.match(by.get('stream-tool-call-split-escape-utf8')!.diff, /^tool_calls\[0\]\.arguments: expected .*"cafe".*, got .*"café ☕"/);
  assert.equal(by.get('error-429-rate-limit')?.verdict, 'FAIL');
  assert.equal(by.get('error-429-rate-limit')?.diff, 'error.type: expected "tokens", got "requests"');
  assert.equal(report.unexpected, 3);
});

test('negative control: a waiver covers only its fields; a crashing client FAILs; a missing capability SKIPs', async () => {
  const python = findClients(['python-stdlib'])[0];
  const doctored = doctor('stream-include-usage', (f) => {
    f.expect!.content = 'Lyon is the capital of France.';
    f.expect!.usage!.total_tokens = 23;
  });
  const onlyUsage: Waiver[] = [{ client: python.name, scenario: doctored.id, fields: ['usage'], reason: 'test' }];
  const partly = await runHarness({ mockUrl: mock.url, clients: [python], fixtures: [doctored], waivers: onlyUsage });
  assert.equal(partly.results[0].verdict, 'FAIL', 'the content difference is not waived');
  assert.match(partly.results[0].diff, /^content: expected "Lyon/);
  assert.match(partly.results[0].diff, /waived by known\.yaml: usage/);
  const all: Waiver[] = [{ ...onlyUsage[0], fields: ['usage', 'content'] }];
  const known = await runHarness({ mockUrl: mock.url, clients: [python], fixtures: [doctored], waivers: all });
  assert.equal(known.results[0].verdict, 'KNOWN');
  assert.equal(known.unexpected, 0);

  const crashing: ClientSpec = {
    ...python,
    name: 'crashing',
    command: () => ({ cmd: 'python3', args: ['-c', 'import sys; sys.stderr.write("boom\\n"); sys.exit(3)'] }),
  };
  const noStream: ClientSpec = { ...python, name: 'no-stream', capabilities: python.capabilities.filter((c) => c !== 'stream') };
  const r = await runHarness({ mockUrl: mock.url, clients: [crashing, noStream], fixtures: [doctor('stream-text', () => {})], waivers: [] });
  const crash = r.results.find((x) => x.client === 'crashing')!;
  assert.equal(crash.verdict, 'FAIL');
  assert.match(crash.diff, /exited with code 3: boom/);
  assert.equal(r.results.find((x) => x.client === 'no-stream')?.verdict, 'SKIP');
});

test('comparison rules', () => {
  const caps = (list: Capability[]) => new Set<Capability>(list);
  const fields = (e: any, a: any, c: Capability[] = []) => compare(e, a, caps(c)).differences.map((d) => d.field);
  // null, "" and absent content are the same
  assert.deepEqual(fields({ content: null, finish_reason: 'stop' }, { content: '', finish_reason: 'stop' }), []);
  assert.deepEqual(fields({ content: null }, {}), []);
  // an absent expect field means none: an unexpected tool call or error is a difference
  assert.deepEqual(fields({ content: 'a' }, { content: 'a', tool_calls: [{ name: 'f', arguments: {} }] }), ['tool_calls']);
  assert.deepEqual(fields({ content: 'a' }, { content: 'a', error: { status: 500, type: 'x' } }), ['error']);
  // arguments: key order does not matter; a raw string does not equal the parsed value
  const call = (args: unknown, id?: string) => ({ tool_calls: [{ name: 'f', arguments: args, ...(id ? { id } : {}) }] });
  assert.deepEqual(fields(call({ a: 1, b: [1, { c: 2, d: 3 }] }), call({ b: [1, { d: 3, c: 2 }], a: 1 })), []);
  assert.deepEqual(fields(call({ a: 1 }), call('{"a":1')), ['tool_calls[0].arguments']);
  // ids, reasoning, refusal, usage, choices: compared only with the capability
  assert.deepEqual(fields(call({}, 'x'), call({}, 'y')), []);
  assert.deepEqual(fields(call({}, 'x'), call({}, 'y'), ['tool-call-ids']), ['tool_calls[0].id']);
  assert.deepEqual(compare({ reasoning: 'r' }, {}, caps([])).notCompared, ['reasoning']);
  assert.deepEqual(fields({ reasoning: 'r' }, {}, ['reasoning']), ['reasoning']);
  assert.deepEqual(fields({ content: 'a' }, { content: 'a', reasoning: 'r' }, ['reasoning']), ['reasoning']);
  assert.deepEqual(fields({ usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }, {}, ['usage']), ['usage']);
  assert.deepEqual(fields({ choices: [{ content: 'a' }, { content: 'b' }] }, { choices: [{ content: 'a' }, { content: 'c' }] }, ['n']), [
    'choices[1].content',
  ]);
  // errors: code only when expected; an HTTP error compares nothing else
  assert.deepEqual(fields({ error: { status: 429, type: 't' } }, { error: { status: 429, type: 't', code: 'c' } }), []);
  assert.deepEqual(fields({ error: { status: 500, type: 't', code: null } }, { error: { status: 500, type: 't' } }), []);
  assert.deepEqual(fields({ error: { status: 500, type: 't', code: 'x' } }, { error: { status: 502, type: 't', code: null } }), [
    'error.status',
    'error.code',
  ]);
  // an error event after content: both compared
  assert.deepEqual(fields({ content: 'ab', error: { status: 200, type: 't' } }, { content: 'a', error: { status: 200, type: 't' } }), ['content']);
  // exceptions and network attempts always count
  assert.deepEqual(fields({ content: 'a' }, { content: 'a', exception: 'x' }), ['exception']);
  assert.deepEqual(fields({ content: 'a' }, { content: 'a', external_fetches: ['https://x'] }), ['external_fetches']);
});
