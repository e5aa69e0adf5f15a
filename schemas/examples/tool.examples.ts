import type { Examples } from './types.ts';

export const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a given city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
};

export const examples: Examples = {
  valid: [
    { name: 'OpenAI strict function', data: weatherTool },
    { name: 'no parameters', data: { type: 'function', function: { name: 'get_time' } } },
    { name: 'strict null, empty parameters', data: { type: 'function', function: { name: 'noop', description: '', parameters: { type: 'object', properties: {} }, strict: null } } },
    { name: 'dashes and digits in the name', data: { type: 'function', function: { name: 'search-web_v2', parameters: { type: 'object', properties: { q: { type: 'string' } } } } } },
    { name: 'extra vendor field', data: { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } }, cache_control: { type: 'ephemeral' } } },
  ],
  invalid: [
    { why: 'type missing', data: { function: { name: 'f' } }, path: '/type', keyword: 'required' },
    { why: 'custom tool', data: { type: 'custom', custom: { name: 'f' } }, path: '/type', keyword: 'const', message: 'must be "function"' },
    { why: 'name with a space', data: { type: 'function', function: { name: 'get weather' } }, path: '/function/name', keyword: 'pattern' },
    { why: 'name longer than 64', data: { type: 'function', function: { name: 'f'.repeat(65) } }, path: '/function/name', keyword: 'pattern' },
    { why: 'parameters as a JSON string', data: { type: 'function', function: { name: 'f', parameters: '{"type":"object"}' } }, path: '/function/parameters', keyword: 'type' },
    { why: 'legacy flat shape (name at the top)', data: { type: 'function', name: 'f', parameters: { type: 'object' } }, path: '/function', keyword: 'required' },
    { why: 'strict as a string', data: { type: 'function', function: { name: 'f', strict: 'true' } }, path: '/function/strict', keyword: 'type' },
  ],
};
