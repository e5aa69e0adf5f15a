import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, redactHeaders, redactJson, redactText, redactUrl, registerSecret } from './redact.ts';

test('credential headers are redacted, others kept', () => {
  const out = redactHeaders({ Authorization: 'Bearer sk-abc', 'api-key': 'k', Cookie: 'a=b', 'content-type': 'application/json' });
  assert.deepEqual(out, { authorization: REDACTED, 'api-key': REDACTED, cookie: REDACTED, 'content-type': 'application/json' });
});

test('registered secrets and key-shaped strings disappear from text, JSON and URLs', () => {
  registerSecret('canary-0123456789');
  assert.equal(redactText('the key canary-0123456789 was wrong'), `the key ${REDACTED} was wrong`);
  assert.equal(redactText('Incorrect API key provided: sk-proj-abcdefgh1234'), `Incorrect API key provided: ${REDACTED}`);
  assert.deepEqual(redactJson({ a: ['x canary-0123456789'], api_key: 'zzz', nested: { authorization: 'Bearer q' } }), {
    a: [`x ${REDACTED}`],
    api_key: REDACTED,
    nested: { authorization: REDACTED },
  });
  const url = redactUrl('https://user:pw@host.example/v1?api-key=secret&api-version=2024-10-21');
  assert.ok(!url.includes('pw') && !url.includes('secret'));
  assert.ok(url.includes('api-version=2024-10-21'));
});
