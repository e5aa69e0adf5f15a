import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'minimal', data: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 } },
    {
      name: 'OpenAI with details',
      data: {
        prompt_tokens: 19,
        completion_tokens: 10,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    },
    { name: 'vLLM (null details)', data: { prompt_tokens: 25, total_tokens: 41, completion_tokens: 16, prompt_tokens_details: null } },
    {
      name: 'DeepSeek (cache hit/miss extras)',
      data: {
        prompt_tokens: 13,
        completion_tokens: 402,
        total_tokens: 415,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 377 },
        prompt_cache_hit_tokens: 0,
        prompt_cache_miss_tokens: 13,
      },
    },
    { name: 'zero tokens', data: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } },
  ],
  invalid: [
    { why: 'completion_tokens missing', data: { prompt_tokens: 9, total_tokens: 9 }, path: '/completion_tokens', keyword: 'required' },
    { why: 'token count as a string', data: { prompt_tokens: '9', completion_tokens: 1, total_tokens: 10 }, path: '/prompt_tokens', keyword: 'type', message: 'must be integer' },
    { why: 'negative count', data: { prompt_tokens: 9, completion_tokens: -1, total_tokens: 8 }, path: '/completion_tokens', keyword: 'minimum' },
    { why: 'fractional count', data: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10.5 }, path: '/total_tokens', keyword: 'type' },
    {
      why: 'reasoning_tokens as a string',
      data: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10, completion_tokens_details: { reasoning_tokens: 'none' } },
      path: '/completion_tokens_details/reasoning_tokens',
      keyword: 'type',
    },
    { why: 'an array instead of an object', data: [9, 1, 10], path: '', keyword: 'type', message: 'must be object' },
  ],
};
