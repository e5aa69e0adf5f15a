// The three auth styles end to end, against the standalone mock: Azure (deployment path, api-key
// header, api-version query), Bearer, and none. The same checks must reach the same verdicts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { defaultProfile, type AuthStyle, type RunConfig } from '../lib/config.ts';
import { startMockServer, type RunningMockServer } from '../mock-server/standalone.ts';
import { allChecks } from './checks/index.ts';
import { runCheck } from './runner/run-check.ts';

const KEY = `sk-oai-compat-auth-${randomBytes(8).toString('hex')}`;
const MODEL = 'mock-gpt';
const IDS = ['core.completion.schema', 'stream.done-sentinel', 'stream-usage.chunk-present', 'tools.named.arguments-schema', 'auth.missing-key', 'auth.wrong-key'];

let keyed: RunningMockServer;
let open: RunningMockServer;

before(async () => {
  keyed = await startMockServer({ port: 0, speed: 0, requireKey: KEY, quiet: true });
  open = await startMockServer({ port: 0, speed: 0, quiet: true });
});

after(async () => {
  await keyed?.close();
  await open?.close();
});

function config(baseUrl: string, style: AuthStyle, apiKey?: string): RunConfig {
  const profile = defaultProfile();
  profile.auth = style === 'azure' ? { style, apiVersion: '2024-10-21' } : { style };
  profile.timeouts = { request: 5_000, idle: 2_000, check: 10_000 };
  return { baseUrl, apiKey, model: MODEL, profile, repeat: 1, reportDir: 'reports', mock: true, extraHeaders: {} };
}

async function verdicts(cfg: RunConfig): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of IDS) {
    const check = allChecks.find((c) => c.id === id)!;
    const r = await runCheck(check, cfg, MODEL);
    out[id] = r.verdict === 'PASS' ? 'PASS' : `${r.verdict}: ${r.message.split('\n')[0]}`;
  }
  return out;
}

const allPass = Object.fromEntries(IDS.map((id) => [id, 'PASS']));

test('azure: deployment path, api-key header and api-version query', async () => {
  const got = await verdicts(config(`${keyed.url}/openai/deployments/${MODEL}`, 'azure', KEY));
  assert.deepEqual(got, allPass);
  const journal = (await (await fetch(`${keyed.url}/__mock/journal`)).json()) as { entries: { path: string; query: Record<string, string>; headers: Record<string, string>; status: number }[] };
  const azure = journal.entries.filter((e) => e.path.startsWith('/openai/deployments/') && e.status === 200);
  assert.ok(azure.length > 0, 'requests went to the deployment path');
  for (const e of azure) {
    assert.equal(e.query['api-version'], '2024-10-21');
    assert.ok(e.headers['api-key'], 'the key travels in api-key');
    assert.equal(e.headers.authorization, undefined, 'no Authorization header in the Azure style');
  }
});

test('bearer: Authorization header', async () => {
  assert.deepEqual(await verdicts(config(`${keyed.url}/v1`, 'bearer', KEY)), allPass);
});

test('a wrong configured key fails the protocol checks with the 401 in the evidence, not a crash', async () => {
  const got = await verdicts(config(`${keyed.url}/v1`, 'bearer', 'sk-not-the-key-000000'));
  assert.match(got['core.completion.schema'], /^FAIL: expected HTTP 200, got 401/);
});

test('none: no credentials sent, auth checks SKIP, the rest passes', async () => {
  const got = await verdicts(config(`${open.url}/v1`, 'none'));
  for (const id of IDS) {
    if (id.startsWith('auth.')) assert.match(got[id], /^SKIP: the profile says the endpoint has no auth/);
    else assert.equal(got[id], 'PASS', id);
  }
});
