import type { Examples } from './types.ts';

const hello = { token: 'Hello', logprob: -0.31725305, bytes: [72, 101, 108, 108, 111] };

export const examples: Examples = {
  valid: [
    {
      name: 'OpenAI with top_logprobs',
      data: {
        content: [
          { ...hello, top_logprobs: [hello, { token: 'Hi', logprob: -1.3190403, bytes: [72, 105] }] },
          { token: '!', logprob: -0.02380986, bytes: [33], top_logprobs: [{ token: '!', logprob: -0.02380986, bytes: [33] }] },
        ],
        refusal: null,
      },
    },
    { name: 'OpenAI without alternatives', data: { content: [{ ...hello, top_logprobs: [] }], refusal: null } },
    { name: 'vLLM (no refusal field)', data: { content: [{ token: ' world', logprob: -9999.0, bytes: [32, 119, 111, 114, 108, 100], top_logprobs: [] }] } },
    { name: 'token without byte form', data: { content: [{ token: '<|end|>', logprob: 0, bytes: null, top_logprobs: [] }], refusal: null } },
    { name: 'stream chunk with null content', data: { content: null, refusal: null } },
    { name: 'refusal tokens', data: { content: null, refusal: [{ token: 'Sorry', logprob: -0.5, bytes: [83, 111, 114, 114, 121], top_logprobs: [] }] } },
  ],
  invalid: [
    { why: 'content missing', data: { refusal: null }, path: '/content', keyword: 'required' },
    { why: 'positive logprob', data: { content: [{ token: 'a', logprob: 0.5, bytes: [97], top_logprobs: [] }] }, path: '/content/0/logprob', keyword: 'maximum' },
    { why: 'token missing', data: { content: [{ logprob: -1, bytes: [97], top_logprobs: [] }] }, path: '/content/0/token', keyword: 'required' },
    { why: 'byte out of range', data: { content: [{ token: 'a', logprob: -1, bytes: [256], top_logprobs: [] }] }, path: '/content/0/bytes/0', keyword: 'maximum' },
    {
      why: 'top_logprobs entry with a string logprob',
      data: { content: [{ token: 'a', logprob: -1, bytes: [97], top_logprobs: [{ token: 'b', logprob: '-2', bytes: [98] }] }] },
      path: '/content/0/top_logprobs/0/logprob',
      keyword: 'type',
    },
    { why: 'content as an object', data: { content: { token: 'a', logprob: -1 } }, path: '/content', keyword: 'type', message: 'must be array or null' },
  ],
};
