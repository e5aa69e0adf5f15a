// openapi/types.gen.ts must be what `npm run gen:types` produces from the current contract, and the
// aliases of openapi/types.ts must fit real data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ErrorEnvelope, ModelList } from './types.ts';
import { isValid } from '../lib/validate.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('openapi/types.gen.ts is fresh (run `npm run gen:types` after changing openapi/ or schemas/)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-types-'));
  try {
    const out = path.join(dir, 'types.gen.ts');
    const cli = path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    // the same command as the gen:types script, written elsewhere
    const r = spawnSync(process.execPath, [cli, 'openapi/openapi.yaml', '-o', out], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `openapi-typescript failed:\n${r.stderr}${r.stdout}`);
    const fresh = readFileSync(out, 'utf8');
    const checkedIn = readFileSync(path.join(root, 'openapi', 'types.gen.ts'), 'utf8');
    assert.ok(fresh === checkedIn, 'openapi/types.gen.ts is stale: run `npm run gen:types` and commit the result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the generated types describe valid data (compile-time fit, runtime validity)', () => {
  const request: ChatCompletionRequest = {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'https://example.org/a.png', detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
    tool_choice: 'auto',
    stream: true,
    stream_options: { include_usage: true },
    response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
  };
  const completion: ChatCompletion = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1751980000,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
  const chunk: ChatCompletionChunk = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1751980000,
    model: 'm',
    choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"' } }] }, finish_reason: null }],
  };
  const error: ErrorEnvelope = { error: { message: 'bad', type: 'invalid_request_error', param: 'messages[0].role', code: null } };
  const models: ModelList = { object: 'list', data: [{ id: 'm', object: 'model', created: 1, owned_by: 'me' }] };

  assert.ok(isValid('chat-completion-request', request));
  assert.ok(isValid('chat-completion', completion));
  assert.ok(isValid('chat-completion-chunk', chunk));
  assert.ok(isValid('error', error));
  assert.ok(isValid('model-list', models));

  const unknownData: unknown = JSON.parse(JSON.stringify(completion));
  if (isValid('chat-completion', unknownData)) {
    // narrowed by the type guard
    assert.equal(unknownData.choices[0].finish_reason, 'stop');
  } else {
    assert.fail('completion round trip');
  }
});
