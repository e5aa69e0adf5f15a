import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'OpenAI first fragment', data: { index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', function: { name: 'get_weather', arguments: '' } } },
    { name: 'OpenAI arguments fragment', data: { index: 0, function: { arguments: '{"ci' } } },
    { name: 'second parallel call', data: { index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } } },
    { name: 'vLLM whole arguments in one fragment', data: { index: 0, id: 'chatcmpl-tool-1', type: 'function', function: { name: 'search', arguments: '{"q": "x"}' } } },
    { name: 'index only', data: { index: 0 } },
  ],
  invalid: [
    { why: 'index missing (as Gemini once sent)', data: { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }, path: '/index', keyword: 'required' },
    { why: 'negative index', data: { index: -1, function: { arguments: '}' } }, path: '/index', keyword: 'minimum' },
    { why: 'index as a string', data: { index: '0' }, path: '/index', keyword: 'type' },
    { why: 'arguments as an object', data: { index: 0, function: { arguments: { a: 1 } } }, path: '/function/arguments', keyword: 'type' },
    { why: 'wrong type', data: { index: 0, type: 'tool' }, path: '/type', keyword: 'const' },
    { why: 'null id', data: { index: 0, id: null, function: { arguments: '1' } }, path: '/id', keyword: 'type' },
  ],
};
