// How the runner turns findings into verdicts, end to end against the standalone mock:
// REPEAT (pass@k, pass^k), expected failures (KNOWN), unclaimed capabilities refused cleanly
// (UNSUPPORTED) or dirtily (FAIL), claimed capabilities refused (FAIL).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultProfile, type RunConfig } from '../lib/config.ts';
import { startMockServer, type RunningMockServer } from '../mock-server/standalone.ts';
import { allChecks } from './checks/index.ts';
import { runCheck } from './runner/run-check.ts';

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
