import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, parseProfile } from './config.ts';

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
