import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'OpenAI', data: { id: 'call_9Gx2aBcD3eF4gH5iJ6kL7mN8', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } } },
    { name: 'empty arguments object', data: { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } } },
    { name: 'vLLM id', data: { id: 'chatcmpl-tool-5f2c9d3e8a1b4c7d', type: 'function', function: { name: 'search', arguments: '{"q": "llama.cpp"}' } } },
    { name: 'llama.cpp random id', data: { id: 'k3Jf8sPq2LmZ9xVb', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } } },
    { name: 'extra index field (some servers keep it)', data: { index: 0, id: 'call_2', type: 'function', function: { name: 'f', arguments: '' } } },
  ],
  invalid: [
    { why: 'id missing', data: { type: 'function', function: { name: 'f', arguments: '{}' } }, path: '/id', keyword: 'required' },
    { why: 'empty id', data: { id: '', type: 'function', function: { name: 'f', arguments: '{}' } }, path: '/id', keyword: 'minLength' },
    { why: 'arguments as an object (Ollama native style)', data: { id: 'call_1', type: 'function', function: { name: 'f', arguments: { city: 'Paris' } } }, path: '/function/arguments', keyword: 'type', message: 'must be string' },
    { why: 'arguments missing', data: { id: 'call_1', type: 'function', function: { name: 'f' } }, path: '/function/arguments', keyword: 'required' },
    { why: 'type missing', data: { id: 'call_1', function: { name: 'f', arguments: '{}' } }, path: '/type', keyword: 'required' },
    { why: 'name empty', data: { id: 'call_1', type: 'function', function: { name: '', arguments: '{}' } }, path: '/function/name', keyword: 'minLength' },
  ],
};
