import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'none', data: 'none' },
    { name: 'auto', data: 'auto' },
    { name: 'required', data: 'required' },
    { name: 'named function', data: { type: 'function', function: { name: 'get_weather' } } },
    { name: 'named function with an extra field', data: { type: 'function', function: { name: 'get_weather' }, disable_parallel: true } },
  ],
  invalid: [
    { why: 'unknown mode', data: 'always', path: '', keyword: 'oneOf', message: 'must be one of: none, auto, required, or object' },
    { why: 'Anthropic-style "any"', data: 'any', path: '', keyword: 'oneOf' },
    { why: 'function missing', data: { type: 'function' }, path: '/function', keyword: 'required' },
    { why: 'name missing', data: { type: 'function', function: {} }, path: '/function/name', keyword: 'required' },
    { why: 'wrong type', data: { type: 'tool', function: { name: 'f' } }, path: '/type', keyword: 'const', message: 'must be "function"' },
    { why: 'a boolean', data: true, path: '', keyword: 'oneOf' },
    { why: 'flat legacy {name}', data: { name: 'get_weather' }, path: '/type', keyword: 'required' },
  ],
};
