import type { Examples } from './types.ts';

const usage = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

const openai = {
  id: 'chatcmpl-BqpT0aN1qVx9gWm3ZcL2kd8sFh4Rj',
  object: 'chat.completion',
  created: 1751980000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage,
  service_tier: 'default',
  system_fingerprint: 'fp_34a54ae93c',
};

const ok = (patch: Record<string, unknown>) => ({ ...openai, ...patch });
const choice = (patch: Record<string, unknown>) => ok({ choices: [{ ...openai.choices[0], ...patch }] });
const message = (patch: Record<string, unknown>) => choice({ message: { ...openai.choices[0].message, ...patch } });

export const examples: Examples = {
  valid: [
    { name: 'OpenAI', data: openai },
    {
      name: 'OpenAI tool calls',
      data: ok({
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              refusal: null,
              annotations: [],
              tool_calls: [{ id: 'call_FthC9qRpsL5kBpwwyw6c7j4k', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
            },
            logprobs: null,
            finish_reason: 'tool_calls',
          },
        ],
      }),
    },
    {
      name: 'llama.cpp (timings, no service_tier)',
      data: {
        choices: [{ finish_reason: 'length', index: 0, message: { role: 'assistant', content: 'Once upon a' } }],
        created: 1751980001,
        model: 'qwen2.5-7b-instruct-q4_k_m.gguf',
        system_fingerprint: 'b5890-4a2e9d1f',
        object: 'chat.completion',
        usage: { completion_tokens: 3, prompt_tokens: 12, total_tokens: 15 },
        id: 'chatcmpl-f4NQkXQ2dOw1b0r6u7yTgA3mZp9cE8sH',
        timings: { prompt_n: 12, prompt_ms: 35.2, prompt_per_token_ms: 2.93, prompt_per_second: 340.9, predicted_n: 3, predicted_ms: 61.4, predicted_per_token_ms: 20.5, predicted_per_second: 48.9 },
      },
    },
    {
      name: 'vLLM (stop_reason, prompt_logprobs, null details)',
      data: {
        id: 'chatcmpl-8d3e0b6a1f2c4e5d9a7b6c5d4e3f2a1b',
        object: 'chat.completion',
        created: 1751980002,
        model: 'Qwen/Qwen3-8B',
        choices: [
          { index: 0, message: { role: 'assistant', reasoning_content: 'Simple greeting.', content: 'Hi!', tool_calls: [] }, logprobs: null, finish_reason: 'stop', stop_reason: null },
        ],
        usage: { prompt_tokens: 10, total_tokens: 25, completion_tokens: 15, prompt_tokens_details: null },
        prompt_logprobs: null,
        kv_transfer_params: null,
      },
    },
    {
      name: 'Azure (content filter results)',
      data: {
        choices: [
          {
            content_filter_results: {
              hate: { filtered: false, severity: 'safe' },
              self_harm: { filtered: false, severity: 'safe' },
              sexual: { filtered: false, severity: 'safe' },
              violence: { filtered: false, severity: 'safe' },
            },
            finish_reason: 'stop',
            index: 0,
            logprobs: null,
            message: { content: 'Hello!', refusal: null, role: 'assistant' },
          },
        ],
        created: 1751980003,
        id: 'chatcmpl-BqpT1xYz',
        model: 'gpt-4o-2024-11-20',
        object: 'chat.completion',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }],
        system_fingerprint: 'fp_ee1d74bde0',
        usage: { completion_tokens: 2, prompt_tokens: 8, total_tokens: 10 },
      },
    },
    {
      name: 'n = 2 with logprobs',
      data: ok({
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Hi' }, logprobs: { content: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [] }], refusal: null }, finish_reason: 'stop' },
          { index: 1, message: { role: 'assistant', content: 'Hello' }, logprobs: { content: [{ token: 'Hello', logprob: -0.2, bytes: [72, 101, 108, 108, 111], top_logprobs: [] }], refusal: null }, finish_reason: 'stop' },
        ],
      }),
    },
    { name: 'DeepSeek reasoner', data: { id: '930c60df-bf64-41c9-a88e-3ec75f81e00e', object: 'chat.completion', created: 1751980004, model: 'deepseek-reasoner', choices: [{ index: 0, message: { role: 'assistant', content: '9.11 < 9.8', reasoning_content: 'Compare the decimals...' }, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 18, completion_tokens: 420, total_tokens: 438, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 401 }, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 18 }, system_fingerprint: 'fp_393bca965e_prod0623' } },
  ],
  invalid: [
    { why: 'object is the chunk object', data: ok({ object: 'chat.completion.chunk' }), path: '/object', keyword: 'const', message: 'must be "chat.completion"' },
    { why: 'created in milliseconds as a float', data: ok({ created: 1751980000123.5 }), path: '/created', keyword: 'type', message: 'must be integer' },
    { why: 'finish_reason null in a completion', data: choice({ finish_reason: null }), path: '/choices/0/finish_reason', keyword: 'enum', message: 'must be one of: stop, length, tool_calls, content_filter, function_call' },
    { why: 'finish_reason "eos" (TGI style)', data: choice({ finish_reason: 'eos' }), path: '/choices/0/finish_reason', keyword: 'enum' },
    { why: 'choices empty', data: ok({ choices: [] }), path: '/choices', keyword: 'minItems' },
    { why: 'index as a string', data: choice({ index: '0' }), path: '/choices/0/index', keyword: 'type' },
    { why: 'message role "model"', data: message({ role: 'model' }), path: '/choices/0/message/role', keyword: 'const', message: 'must be "assistant"' },
    { why: 'tool call arguments as an object', data: message({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] }), path: '/choices/0/message/tool_calls/0/function/arguments', keyword: 'type' },
    { why: 'usage missing total_tokens', data: ok({ usage: { prompt_tokens: 1, completion_tokens: 1 } }), path: '/usage/total_tokens', keyword: 'required' },
    { why: 'id missing', data: { object: 'chat.completion', created: 1, model: 'm', choices: openai.choices }, path: '/id', keyword: 'required' },
    { why: 'message missing', data: ok({ choices: [{ index: 0, finish_reason: 'stop' }] }), path: '/choices/0/message', keyword: 'required' },
    { why: 'logprobs as an array', data: choice({ logprobs: [] }), path: '/choices/0/logprobs', keyword: 'type', message: 'must be object or null' },
  ],
};
