import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    {
      name: 'OpenAI 401',
      data: { error: { message: 'Incorrect API key provided: sk-abc***. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    },
    {
      name: 'OpenAI 400 with param',
      data: { error: { message: "Invalid value: 'robot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", type: 'invalid_request_error', param: 'messages[0].role', code: 'invalid_value' } },
    },
    { name: 'OpenAI 429', data: { error: { message: 'Rate limit reached for gpt-4o-mini. Please try again in 20ms.', type: 'requests', param: null, code: 'rate_limit_exceeded' } } },
    { name: 'server omitting param and code (lenient)', data: { error: { message: 'model not found', type: 'not_found_error' } } },
    { name: 'vLLM-style extra object field', data: { object: 'error', error: { message: 'The model `x` does not exist.', type: 'NotFoundError', param: null, code: null } } },
  ],
  invalid: [
    { why: 'vLLM/llama.cpp numeric code', data: { error: { message: 'bad', type: 'invalid_request_error', param: null, code: 400 } }, path: '/error/code', keyword: 'type', message: 'must be string or null' },
    { why: 'no error envelope (bare message)', data: { message: 'bad request', type: 'invalid_request_error' }, path: '/error', keyword: 'required' },
    { why: 'error as a string', data: { error: 'model not found' }, path: '/error', keyword: 'type', message: 'must be object' },
    { why: 'message missing', data: { error: { type: 'invalid_request_error', param: null, code: null } }, path: '/error/message', keyword: 'required' },
    { why: 'type missing', data: { error: { message: 'bad' } }, path: '/error/type', keyword: 'required' },
    { why: 'param as an array', data: { error: { message: 'bad', type: 'invalid_request_error', param: ['messages', 0] } }, path: '/error/param', keyword: 'type' },
  ],
};
