import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretQueryParam, MAX_JSON_DEPTH, REDACTED, redactHeaders, redactJson, redactQuery, redactText, redactUrl, registerSecret, SECRET_QUERY_PARAMS } from './redact.ts';

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

test('one list of secret query parameters, for URLs and for query records alike', () => {
  const secret = ['code', 'auth', 'key', 'api-key', 'api_key', 'apiKey', 'token', 'access_token', 'accessToken', 'sig', 'signature', 'password', 'secret', 'client_secret', 'x-api-key', 'subscription-key'];
  for (const name of secret) {
    assert.ok(isSecretQueryParam(name), name);
    const url = redactUrl(`https://host.example/v1/chat/completions?${encodeURIComponent(name)}=s3cr3t-value&api-version=2024-10-21`);
    assert.ok(!url.includes('s3cr3t-value'), `${name}: ${url}`);
    assert.ok(url.includes('api-version=2024-10-21'), url);
    const record = redactQuery(new URLSearchParams({ [name]: 's3cr3t-value', 'api-version': '2024-10-21' }));
    assert.deepEqual(record, { [name]: REDACTED, 'api-version': '2024-10-21' }, name);
  }
  for (const name of ['api-version', 'model', 'stream', 'limit', 'session']) assert.ok(!isSecretQueryParam(name), name);
  for (const name of ['code', 'auth', 'api_key', 'token', 'sig', 'password']) assert.ok(SECRET_QUERY_PARAMS.has(name), name);
});

test('redactJson walks any depth without recursion, and its copy can always be serialised', () => {
  for (const levels of [2_000, 100_000]) {
    const value = JSON.parse(`${'['.repeat(levels)}"sk-abcdefgh12345678"${']'.repeat(levels)}`);
    const out = redactJson(value);
    const text = JSON.stringify(out);
    assert.ok(!text.includes('sk-abcdefgh12345678'));
    assert.ok(text.includes(`[nested deeper than ${MAX_JSON_DEPTH} levels]`));
  }
  const shallow = JSON.parse(`${'['.repeat(100)}{"api_key":"k","x":"Bearer abcdefgh12345678"}${']'.repeat(100)}`);
  let inner: any = redactJson(shallow);
  for (let i = 0; i < 100; i++) inner = inner[0];
  assert.deepEqual(inner, { api_key: REDACTED, x: `Bearer ${REDACTED}` });
});
