import type { Examples } from './types.ts';
import { weatherTool } from './tool.examples.ts';

export const examples: Examples = {
  valid: [
    { name: 'minimal', data: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }] } },
    {
      name: 'stream with usage, sampling parameters',
      data: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Count to 3.' },
        ],
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0,
        top_p: 1,
        max_tokens: 64,
        stop: ['\n\n', 'END'],
        seed: 42,
        n: 1,
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        user: 'user-123',
      },
    },
    {
      name: 'tools, named tool_choice, a tool round trip',
      data: {
        model: 'gpt-4.1',
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
        ],
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
      },
    },
    {
      name: 'structured output, logprobs, reasoning',
      data: {
        model: 'o4-mini',
        messages: [{ role: 'developer', content: 'Extract the event.' }, { role: 'user', content: 'Alice and Bob meet on Friday.' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'calendar_event',
            strict: true,
            schema: { type: 'object', properties: { name: { type: 'string' }, day: { type: 'string' } }, required: ['name', 'day'], additionalProperties: false },
          },
        },
        reasoning_effort: 'low',
        max_completion_tokens: 2000,
        logprobs: true,
        top_logprobs: 2,
        store: false,
        metadata: { run: 'ci' },
      },
    },
    {
      name: 'vLLM / llama.cpp extensions, explicit nulls (LangChain style)',
      data: {
        model: 'Qwen/Qwen3-8B',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }],
        top_k: 20,
        min_p: 0.05,
        repetition_penalty: 1.05,
        chat_template_kwargs: { enable_thinking: false },
        temperature: null,
        stop: null,
        n: null,
        response_format: { type: 'json_object' },
        tool_choice: 'none',
      },
    },
  ],
  invalid: [
    { why: 'model missing', data: { messages: [{ role: 'user', content: 'hi' }] }, path: '/model', keyword: 'required' },
    { why: 'messages empty', data: { model: 'm', messages: [] }, path: '/messages', keyword: 'minItems' },
    { why: 'unknown role', data: { model: 'm', messages: [{ role: 'robot', content: 'hi' }] }, path: '/messages/0/role', keyword: 'enum', message: 'must be one of: system, developer, user, assistant, tool' },
    { why: 'temperature above 2', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 2.5 }, path: '/temperature', keyword: 'maximum' },
    { why: 'top_p above 1', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], top_p: 1.5 }, path: '/top_p', keyword: 'maximum' },
    { why: 'five stop sequences', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stop: ['a', 'b', 'c', 'd', 'e'] }, path: '/stop', keyword: 'maxItems' },
    { why: 'n = 0', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], n: 0 }, path: '/n', keyword: 'minimum' },
    { why: 'max_tokens as a string', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: '100' }, path: '/max_tokens', keyword: 'type', message: 'must be integer or null' },
    { why: 'top_logprobs above 20', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], logprobs: true, top_logprobs: 21 }, path: '/top_logprobs', keyword: 'maximum' },
    { why: 'unknown response_format type', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'xml' } }, path: '/response_format/type', keyword: 'enum', message: 'must be one of: text, json_object, json_schema' },
    { why: 'json_schema without a name', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_schema', json_schema: { schema: { type: 'object' } } } }, path: '/response_format/json_schema/name', keyword: 'required' },
    { why: 'unknown reasoning_effort', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], reasoning_effort: 'max' }, path: '/reasoning_effort', keyword: 'enum' },
    { why: 'stream as a string', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: 'true' }, path: '/stream', keyword: 'type' },
    { why: 'include_usage as a string', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: 'yes' } }, path: '/stream_options/include_usage', keyword: 'type' },
    { why: 'tool name with a dot', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'weather.get' } }] }, path: '/tools/0/function/name', keyword: 'pattern' },
    { why: 'unknown tool_choice', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], tool_choice: 'any' }, path: '/tool_choice', keyword: 'oneOf' },
    { why: 'frequency_penalty below -2', data: { model: 'm', messages: [{ role: 'user', content: 'hi' }], frequency_penalty: -3 }, path: '/frequency_penalty', keyword: 'minimum' },
  ],
};
