import type { Examples } from './types.ts';

// Whole streams, as sent (the `data:` payloads in order, [DONE] left out).

const head = { id: 'chatcmpl-BqpU2cJ8xqk1c4kZsd9Vn0aLwT3yH', object: 'chat.completion.chunk', created: 1751980100, model: 'gpt-4o-mini-2024-07-18', service_tier: 'default', system_fingerprint: 'fp_34a54ae93c' };

/** OpenAI, stream_options.include_usage: role first, content, finish, then the usage chunk with empty choices. */
export const openaiStream = [
  { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], usage: null },
  { ...head, choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }], usage: null },
  { ...head, choices: [{ index: 0, delta: { content: '!' }, logprobs: null, finish_reason: null }], usage: null },
  { ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null },
  { ...head, choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } } },
];

/** OpenAI tool call with its arguments split across chunks. */
export const toolCallStream = [
  { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', function: { name: 'get_weather', arguments: '' } }], refusal: null }, logprobs: null, finish_reason: null }] },
  { ...head, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"' } }] }, logprobs: null, finish_reason: null }] },
  { ...head, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'city' } }] }, logprobs: null, finish_reason: null }] },
  { ...head, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '":"Paris"}' } }] }, logprobs: null, finish_reason: null }] },
  { ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }] },
];

const ds = { id: '6a8f3b2e-1c4d-4e5f-9a0b-7c6d5e4f3a2b', object: 'chat.completion.chunk', created: 1751980200, model: 'deepseek-reasoner', system_fingerprint: 'fp_393bca965e_prod0623' };

/** DeepSeek reasoner: reasoning_content first (content null), then content, usage on the finish chunk. */
export const deepseekStream = [
  { ...ds, choices: [{ index: 0, delta: { role: 'assistant', content: null, reasoning_content: '' }, logprobs: null, finish_reason: null }] },
  { ...ds, choices: [{ index: 0, delta: { content: null, reasoning_content: 'Okay' }, logprobs: null, finish_reason: null }] },
  { ...ds, choices: [{ index: 0, delta: { content: 'Hi', reasoning_content: null }, logprobs: null, finish_reason: null }] },
  { ...ds, choices: [{ index: 0, delta: { content: '', reasoning_content: null }, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 30, total_tokens: 39, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 28 }, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 9 } },
];

const qw = { object: 'chat.completion.chunk', created: 1751980300, system_fingerprint: null, model: 'qwen-plus', id: 'chatcmpl-3f1b9c2a-6d7e-9a8b-b1c2-d3e4f5a6b7c8' };

/** Qwen (DashScope compatible mode) with enable_thinking: usage null in every chunk, a usage chunk with empty choices. */
export const qwenStream = [
  { ...qw, choices: [{ delta: { content: null, role: 'assistant', reasoning_content: '' }, index: 0, logprobs: null, finish_reason: null }], usage: null },
  { ...qw, choices: [{ delta: { content: null, reasoning_content: 'The user greets me.' }, finish_reason: null, index: 0, logprobs: null }], usage: null },
  { ...qw, choices: [{ delta: { content: 'Hello!', reasoning_content: null }, finish_reason: null, index: 0, logprobs: null }], usage: null },
  { ...qw, choices: [{ finish_reason: 'stop', delta: { content: '', reasoning_content: null }, index: 0, logprobs: null }], usage: null },
  { ...qw, choices: [], usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32, completion_tokens_details: { reasoning_tokens: 15 } } },
];

const lc = { id: 'chatcmpl-Xk2mP9qR4sT7uV0wY3zA6bC8dE1fG5hJ', object: 'chat.completion.chunk', created: 1751980400, model: 'qwen2.5-7b-instruct-q4_k_m.gguf', system_fingerprint: 'b5890-4a2e9d1f' };

/** llama.cpp server: timings on the last chunk. */
export const llamaCppStream = [
  { ...lc, choices: [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }] },
  { ...lc, choices: [{ finish_reason: null, index: 0, delta: { content: 'Hi' } }] },
  { ...lc, choices: [{ finish_reason: 'stop', index: 0, delta: {} }], usage: { completion_tokens: 1, prompt_tokens: 10, total_tokens: 11 }, timings: { prompt_n: 10, prompt_ms: 30.1, prompt_per_token_ms: 3.01, prompt_per_second: 332.2, predicted_n: 1, predicted_ms: 0.01, predicted_per_token_ms: 0.01, predicted_per_second: 100000 } },
];

const vl = { id: 'chatcmpl-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e', object: 'chat.completion.chunk', created: 1751980500, model: 'meta-llama/Llama-3.1-8B-Instruct' };

/** vLLM: stop_reason in the finish chunk, usage chunk with empty choices. */
export const vllmStream = [
  { ...vl, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
  { ...vl, choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }] },
  { ...vl, choices: [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop', stop_reason: null }] },
  { ...vl, choices: [], usage: { prompt_tokens: 10, total_tokens: 12, completion_tokens: 2 } },
];

const safe = { filtered: false, severity: 'safe' };
const filters = { hate: safe, self_harm: safe, sexual: safe, violence: safe };
const az = { id: 'chatcmpl-BqpV3dK9', object: 'chat.completion.chunk', created: 1751980600, model: 'gpt-4o-2024-11-20', system_fingerprint: 'fp_ee1d74bde0' };

/** Azure OpenAI: prompt_filter_results first (empty choices, empty ids), content_filter_results per choice, an async-filter annotation chunk. */
export const azureStream = [
  { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: filters }] },
  { ...az, choices: [{ content_filter_results: {}, delta: { content: '', refusal: null, role: 'assistant' }, finish_reason: null, index: 0, logprobs: null }] },
  { ...az, choices: [{ content_filter_results: filters, delta: { content: 'Hello' }, finish_reason: null, index: 0, logprobs: null }] },
  { ...az, choices: [{ content_filter_results: {}, delta: {}, finish_reason: 'stop', index: 0, logprobs: null }] },
  { id: '', object: '', created: 0, model: '', choices: [{ index: 0, finish_reason: null, content_filter_results: filters, content_filter_offsets: { check_offset: 35, start_offset: 35, end_offset: 40 } }] },
];

const streams: Record<string, unknown[]> = {
  OpenAI: openaiStream,
  'OpenAI tool call': toolCallStream,
  DeepSeek: deepseekStream,
  Qwen: qwenStream,
  'llama.cpp': llamaCppStream,
  vLLM: vllmStream,
  Azure: azureStream,
};

const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...head, choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null, ...choice }], ...extra });

export const examples: Examples = {
  valid: Object.entries(streams).flatMap(([who, chunks]) => chunks.map((data, i) => ({ name: `${who} stream, chunk ${i}`, data }))),
  invalid: [
    { why: 'object of a completion', data: { ...chunk({}), object: 'chat.completion' }, path: '/object', keyword: 'enum', message: 'must be one of: chat.completion.chunk, ""' },
    { why: 'delta missing in a normal chunk', data: { ...head, choices: [{ index: 0, finish_reason: null }] }, path: '/choices/0/delta', keyword: 'required' },
    { why: 'finish_reason "eos"', data: chunk({ finish_reason: 'eos' }), path: '/choices/0/finish_reason', keyword: 'enum' },
    { why: 'tool call fragment without index (as Gemini once sent)', data: chunk({ delta: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] } }), path: '/choices/0/delta/tool_calls/0/index', keyword: 'required' },
    { why: 'empty id in a normal chunk', data: { ...chunk({}), id: '' }, path: '/id', keyword: 'minLength' },
    { why: 'created as a string', data: { ...chunk({}), created: '1751980100' }, path: '/created', keyword: 'type' },
    { why: 'usage with a negative count', data: { ...head, choices: [], usage: { prompt_tokens: 1, completion_tokens: -1, total_tokens: 0 } }, path: '/usage/completion_tokens', keyword: 'minimum' },
    { why: 'choices missing', data: { ...head, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }, path: '/choices', keyword: 'required' },
    { why: 'delta content as a number', data: chunk({ delta: { content: 42 } }), path: '/choices/0/delta/content', keyword: 'type', message: 'must be string or null' },
    { why: 'delta role "model"', data: chunk({ delta: { role: 'model' } }), path: '/choices/0/delta/role', keyword: 'enum' },
    { why: 'usage as a string', data: { ...head, choices: [], usage: 'n/a' }, path: '/usage', keyword: 'type', message: 'must be object or null' },
  ],
};
