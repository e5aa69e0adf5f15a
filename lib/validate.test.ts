import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValid, formatIssues, getAjv, isValid, issueToParam, requestSchemaProblem, validate, validateWithRequestSchema, type ValidationIssue } from './validate.ts';
import { SCHEMA_NAMES, loadSchemas, schemaIds } from './schemas.ts';

const user = { role: 'user', content: 'hi' };

function issues(name: Parameters<typeof validate>[0], data: unknown): ValidationIssue[] {
  const r = validate(name, data);
  assert.equal(r.ok, false, 'expected invalid');
  return r.ok ? [] : r.errors;
}

test('valid data gives { ok: true } and nothing else', () => {
  assert.deepEqual(validate('chat-completion-request', { model: 'm', messages: [user] }), { ok: true });
});

test('a wrong role is one issue at the role, listing the roles (what the mock turns into param messages[0].role)', () => {
  const errors = issues('chat-completion-request', { model: 'm', messages: [user, { role: 'robot', content: 'x' }] });
  assert.deepEqual(errors, [{ path: '/messages/1/role', keyword: 'enum', message: 'must be one of: system, developer, user, assistant, tool' }]);
  assert.equal(issueToParam(errors[0].path), 'messages[1].role');
});

test('a missing property is reported at the property itself', () => {
  assert.deepEqual(issues('chat-completion-request', { messages: [user] }), [{ path: '/model', keyword: 'required', message: 'is required' }]);
  assert.deepEqual(issues('message', { role: 'tool', content: 'x' }), [{ path: '/tool_call_id', keyword: 'required', message: 'is required' }]);
});

test('oneOf noise is reduced to the branch that was meant', () => {
  // the user branch is the one meant: its nested part is reported, not five failed branches
  assert.deepEqual(issues('message', { role: 'user', content: [{ type: 'image_url', image_url: { detail: 'low' } }] }), [
    { path: '/content/0/image_url/url', keyword: 'required', message: 'is required' },
  ]);
  // no branch takes the kind of value: the kinds are listed
  assert.deepEqual(issues('message', { role: 'assistant', content: 3 }), [{ path: '/content', keyword: 'type', message: 'must be string, array or null' }]);
  // a tag outside every branch: the tag values are listed
  assert.deepEqual(issues('content-part', { type: 'video' }), [
    { path: '/type', keyword: 'enum', message: 'must be one of: text, image_url, input_audio, file, refusal' },
  ]);
  // value branch next to an object branch
  assert.deepEqual(issues('tool-choice', 'always'), [{ path: '', keyword: 'oneOf', message: 'must be one of: none, auto, required, or object' }]);
  // the object branch is meant: its own issue
  assert.deepEqual(issues('tool-choice', { type: 'function', function: {} }), [{ path: '/function/name', keyword: 'required', message: 'is required' }]);
  // nullable union
  assert.deepEqual(issues('chat-completion-chunk', { id: 'a', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: 'none' }), [
    { path: '/usage', keyword: 'type', message: 'must be object or null' },
  ]);
});

test('messages read well: types, enums, consts, bounds', () => {
  const errors = issues('chat-completion', {
    id: 'x',
    object: 'chat.completion.chunk',
    created: 1.5,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'eos' }],
    usage: { prompt_tokens: -1, completion_tokens: 0, total_tokens: 0 },
  });
  const byPath = Object.fromEntries(errors.map((e) => [e.path, e.message]));
  assert.equal(byPath['/object'], 'must be "chat.completion"');
  assert.equal(byPath['/created'], 'must be integer');
  assert.equal(byPath['/choices/0/finish_reason'], 'must be one of: stop, length, tool_calls, content_filter, function_call');
  assert.equal(byPath['/usage/prompt_tokens'], 'must be >= 0');
  // a nullable enum does not also say "must be string or null"
  assert.deepEqual(issues('chat-completion-chunk', { id: 'a', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 7 }] }), [
    { path: '/choices/0/finish_reason', keyword: 'enum', message: 'must be one of: stop, length, tool_calls, content_filter, function_call, null' },
  ]);
});

test('every issue is reported (allErrors); within an object, missing properties come first', () => {
  const errors = issues('chat-completion-request', { messages: [user], temperature: 9, n: 0, stream: 'yes' });
  assert.equal(errors[0].path, '/model');
  assert.deepEqual(errors.map((e) => e.path).sort(), ['/model', '/n', '/stream', '/temperature']);
});

test('issueToParam writes OpenAI-style params', () => {
  assert.equal(issueToParam(''), '');
  assert.equal(issueToParam('/model'), 'model');
  assert.equal(issueToParam('/messages/0/role'), 'messages[0].role');
  assert.equal(issueToParam('/messages/12/content/3/image_url/url'), 'messages[12].content[3].image_url.url');
  assert.equal(issueToParam('/tools/0/function/parameters'), 'tools[0].function.parameters');
  assert.equal(issueToParam('/metadata/a~1b'), 'metadata["a/b"]');
  assert.equal(issueToParam('/metadata/x y'), 'metadata["x y"]');
  assert.equal(issueToParam('/0'), '[0]');
});

test('formatIssues prints path: message lines', () => {
  assert.equal(
    formatIssues([
      { path: '/model', message: 'is required', keyword: 'required' },
      { path: '', message: 'must be object', keyword: 'type' },
    ]),
    '/model: is required\n(root): must be object',
  );
  assert.equal(formatIssues([]), '');
});

test('assertValid throws with every issue; isValid is a boolean guard', () => {
  assert.throws(() => assertValid('model', { id: '' }), /\/object: is required\n\/id: must NOT have fewer than 1 characters/);
  assert.doesNotThrow(() => assertValid('model', { id: 'm', object: 'model' }));
  assert.equal(isValid('model', { id: 'm', object: 'model' }), true);
  assert.equal(isValid('model', null), false);
});

test('an unknown schema name is a programming error', () => {
  assert.throws(() => validate('nope' as never, {}), /unknown schema nope/);
});

test('one shared Ajv with every schema registered under its $id; loadSchemas gives copies', () => {
  assert.equal(getAjv(), getAjv());
  assert.equal(SCHEMA_NAMES.length, 14);
  const loaded = loadSchemas();
  for (const name of SCHEMA_NAMES) {
    assert.equal(schemaIds[name], `https://oai-compat.dev/schemas/${name}.schema.json`);
    assert.equal(loaded[name].$id, schemaIds[name]);
    assert.ok(getAjv().getSchema(schemaIds[name]), name);
  }
  (loaded.model as { required: string[] }).required.push('owned_by');
  assert.equal(isValid('model', { id: 'm', object: 'model' }), true, 'mutating a copy changes nothing');
});

test('validation is quick enough for the mock server hot path', () => {
  const body = {
    model: 'm',
    messages: Array.from({ length: 20 }, (_, i) => (i % 2 ? { role: 'assistant', content: `a${i}` } : { role: 'user', content: [{ type: 'text', text: `u${i}` }] })),
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    temperature: 0.2,
  };
  const start = performance.now();
  for (let i = 0; i < 2000; i++) assert.ok(validate('chat-completion-request', body).ok);
  const ms = performance.now() - start;
  assert.ok(ms < 2000, `2000 validations took ${ms.toFixed(0)} ms`);
});

test('schemas from requests: invalid ones are named, data is validated with readable issues', () => {
  assert.match(requestSchemaProblem({ type: 'objekt' }) ?? '', /type/);
  assert.equal(requestSchemaProblem({ type: 'object', properties: { a: { type: 'string' } }, 'x-vendor': 1 }), null);
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
  assert.deepEqual(validateWithRequestSchema(schema, { city: 'Paris' }), { ok: true });
  const r = validateWithRequestSchema(schema, { town: 'Paris' });
  assert.ok(!r.ok && !('compileError' in r));
  assert.deepEqual(
    r.errors.map((e) => `${e.path}: ${e.message}`),
    ['/city: is required', ': must not have the property "town"'],
  );
});
