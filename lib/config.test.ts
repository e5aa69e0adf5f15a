import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import { bundledProfiles, checkBaseUrl, checkRunInputs, ConfigError, loadConfig, loadProfile, parseProfile, resolveProfilePath, workersFromEnv } from './config.ts';
import { PROFILE_SCHEMA_ID } from './schemas.ts';

test('a profile sets auth, model, capabilities, timeouts and expected failures', () => {
  const p = parseProfile(
    `name: gw\nauth: { style: azure, api-version: "2024-10-21" }\nmodel: m\ncapabilities: { tools: true, vision: false }\ntimeouts: { request: 1000 }\nexpected-failures:\n  - { id: stream.done-sentinel, reason: "ticket 1" }\n`,
  );
  assert.equal(p.name, 'gw');
  assert.deepEqual(p.auth, { style: 'azure', apiVersion: '2024-10-21' });
  assert.equal(p.model, 'm');
  assert.deepEqual(p.capabilities, { tools: true, vision: false });
  assert.equal(p.timeouts.request, 1000);
  assert.deepEqual(p.expectedFailures, [{ id: 'stream.done-sentinel', reason: 'ticket 1' }]);
});

test('typos in a profile are errors, not silently ignored', () => {
  assert.throws(() => parseProfile('capabilites: {}'), /unknown key "capabilites"/);
  assert.throws(() => parseProfile('capabilities: { tools: yes please }'), /capabilities.tools must be true or false/);
  assert.throws(() => parseProfile('auth: { style: basic }'), /auth.style/);
  assert.throws(() => parseProfile('timeouts: { requst: 5 }'), /unknown timeout/);
});

test('environment: BASE_URL trimmed, MODEL over profile, REPEAT parsed, mock timeouts capped', () => {
  const c = loadConfig({ BASE_URL: 'http://h/v1/', MODEL: 'x', REPEAT: '3', OAI_COMPAT_MOCK: '1' });
  assert.equal(c.baseUrl, 'http://h/v1');
  assert.equal(c.model, 'x');
  assert.equal(c.repeat, 3);
  assert.ok(c.profile.timeouts.request <= 5000);
});

test('every bundled profile validates against schemas/profile.schema.json, and the schema names every claimable capability', async () => {
  const { readFileSync } = await import('node:fs');
  const { CAPABILITIES } = await import('../suites/checks/types.ts');
  const names = bundledProfiles();
  assert.ok(names.length >= 5, names.join(', '));
  for (const name of names) assert.doesNotThrow(() => loadProfile(resolveProfilePath(name)), name);
  const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'schemas', 'profile.schema.json'), 'utf8'));
  assert.equal(schema.$id, PROFILE_SCHEMA_ID);
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  // core and errors are always checked: a profile cannot claim them.
  assert.deepEqual(Object.keys(schema.properties.capabilities.properties).sort(), CAPABILITIES.filter((c) => !['core', 'errors'].includes(c)).sort());
});

test('profile problems are ConfigErrors naming the key, with a did-you-mean', () => {
  const cases: [string, RegExp][] = [
    ['capabilities: { stremaing: true }', /unknown capability "stremaing" \(did you mean "streaming"\?\); known: streaming, /],
    ['capabilities: { core: true }', /unknown capability "core"/],
    ['modle: x', /unknown key "modle" \(did you mean "model"\?\)/],
    ['auth: { style: bearer, apiKey: x }', /unknown auth key "apiKey"/],
    ['expected-failures: [{ id: x }]', /expected-failures\.0 needs "reason"/],
    ['timeouts: { request: 0 }', /timeouts\.request must be a positive number of ms/],
    ['capabilities: [streaming', /is not valid YAML: .*line 1/],
    ['just text', /must be a YAML mapping/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseProfile(text, 'p.yaml'), (e: unknown) => e instanceof ConfigError && message.test(e.message), text);
  assert.throws(() => resolveProfilePath('no-such-profile'), /profile no-such-profile not found .*bundled profiles, usable by name: .*vllm/);
  assert.equal(path.basename(resolveProfilePath('vllm')), 'vllm.yaml');
});

test('BASE_URL: a scheme-less or non-HTTP URL, or one ending in /chat/completions, is refused with what a valid one looks like', () => {
  assert.equal(checkBaseUrl('http://localhost:8000/v1/'), 'http://localhost:8000/v1');
  assert.throws(() => checkBaseUrl('localhost:8000/v1'), /not a URL with a scheme \(did you mean http:\/\/localhost:8000\/v1 or https:\/\/localhost:8000\/v1\?\); a valid one looks like https:\/\/api\.example\.com\/v1/);
  assert.throws(() => checkBaseUrl('api.example.com'), /did you mean http:\/\/api\.example\.com/);
  assert.throws(() => checkBaseUrl('ftp://h/v1'), /must start with http:\/\/ or https:\/\//);
  assert.throws(() => checkBaseUrl('https://h/v1/chat/completions'), /ends with \/chat\/completions; .*: https:\/\/h\/v1$/);
  const secret = checkBaseUrlMessage('https://user:hunter2secret@/v1');
  assert.ok(!secret.includes('hunter2secret'), secret);
});

function checkBaseUrlMessage(url: string): string {
  try {
    checkBaseUrl(url);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

test('the key variable: empty or padded is an error, not "no key"; REPEAT and WORKERS are whole numbers', () => {
  assert.throws(() => checkRunInputs({ API_KEY: '' }), /API_KEY is set but empty/);
  assert.throws(() => checkRunInputs({ OPENAI_API_KEY: '' }), /OPENAI_API_KEY is set but empty/);
  assert.throws(() => checkRunInputs({ API_KEY: 'sk-x\n' }), /whitespace/);
  assert.throws(() => checkRunInputs({ REPEAT: '0' }), /REPEAT must be a whole number/);
  assert.throws(() => checkRunInputs({ WORKERS: 'two' }), /WORKERS must be a whole number/);
  assert.doesNotThrow(() => checkRunInputs({ API_KEY: 'sk-x', REPEAT: '3', WORKERS: '4', PROFILE: 'openai', BASE_URL: 'https://h/v1' }));
  assert.equal(workersFromEnv({ WORKERS: 'x' }), 2);
  assert.equal(loadConfig({ OAI_COMPAT_MAX_BODY_MB: '7' }).maxBodyMb, 7);
});
