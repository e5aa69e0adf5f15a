import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'system', data: { role: 'system', content: 'You are a helpful assistant.' } },
    { name: 'developer with text parts', data: { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] } },
    { name: 'user text', data: { role: 'user', content: 'Hello!', name: 'alice' } },
    {
      name: 'user vision',
      data: {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this image?' },
          { type: 'image_url', image_url: { url: 'https://example.org/cat.png', detail: 'high' } },
        ],
      },
    },
    {
      name: 'assistant tool calls (content null)',
      data: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
    },
    { name: 'assistant with reasoning_content (DeepSeek history)', data: { role: 'assistant', content: '42', reasoning_content: 'The user asks for the answer...' } },
    { name: 'assistant with refusal part', data: { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }], refusal: 'No.' } },
    { name: 'tool result', data: { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21,"unit":"celsius"}' } },
    { name: 'tool result as text parts', data: { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '18 C' }] } },
  ],
  invalid: [
    { why: 'unknown role', data: { role: 'robot', content: 'hi' }, path: '/role', keyword: 'enum', message: 'must be one of: system, developer, user, assistant, tool' },
    { why: 'role missing', data: { content: 'hi' }, path: '/role', keyword: 'required' },
    { why: 'user content missing', data: { role: 'user' }, path: '/content', keyword: 'required' },
    { why: 'tool_call_id missing', data: { role: 'tool', content: '21 C' }, path: '/tool_call_id', keyword: 'required' },
    { why: 'user content as a number', data: { role: 'user', content: 42 }, path: '/content', keyword: 'type', message: 'must be string or array' },
    { why: 'empty parts array', data: { role: 'user', content: [] }, path: '/content', keyword: 'minItems' },
    { why: 'image part in a system message', data: { role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }, path: '/content/0/type', keyword: 'const', message: 'must be "text"' },
    { why: 'refusal part in a user message', data: { role: 'user', content: [{ type: 'refusal', refusal: 'no' }] }, path: '/content/0/type', keyword: 'enum', message: 'must be one of: text, image_url, input_audio, file' },
    { why: 'tool call with object arguments', data: { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }, path: '/tool_calls/0/function/arguments', keyword: 'type' },
    { why: 'capitalised role', data: { role: 'User', content: 'hi' }, path: '/role', keyword: 'enum' },
  ],
};
