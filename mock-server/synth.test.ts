// The default synthesizer: a correct, deterministic OpenAI server for any well-formed request.
// Every behaviour is asserted on the non-stream answer and on the stream, and the two must agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { assembleCompletion, assembleStream } from '../lib/assemble.ts';
import { validate } from '../lib/validate.ts';
import { createEngine } from './engine.ts';
import { generateArguments, generateFromSchema } from './schema-gen.ts';
import { chat, planChunks, planEvents, planJson, planText } from '../test-support/mock.ts';
import { countTokens, tokenize } from './tokenizer.ts';

const engine = createEngine({ fixtures: [], speed: 0 });
const ajv = new Ajv2020({ strict: false, allErrors: true });

const user = (text: string) => [{ role: 'user', content: text }];
const base = (text = 'Say hello in five words.', extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: user(text), ...extra });

function complete(body: Record<string, unknown>): any {
  const plan = chat(engine, { ...body, stream: false });
  assert.equal(plan.status, 200, planText(plan));
  const json = planJson(plan);
  const r = validate('chat-completion', json);
  assert.ok(r.ok, `chat-completion schema: ${JSON.stringify(!r.ok && r.errors)}`);
  return json;
}

function stream(body: Record<string, unknown>): { chunks: any[]; events: string[] } {
  const plan = chat(engine, { ...body, stream: true });
  assert.equal(plan.status, 200, planText(plan));
  assert.match(plan.headers['content-type'], /^text\/event-stream/);
  const events = planEvents(plan);
  assert.equal(events[events.length - 1], '[DONE]');
  assert.equal(events.filter((e) => e === '[DONE]').length, 1);
  const chunks = planChunks(plan);
  for (const c of chunks) {
    const r = validate('chat-completion-chunk', c);
    assert.ok(r.ok, `chunk schema: ${JSON.stringify(!r.ok && r.errors)} ${JSON.stringify(c)}`);
  }
  return { chunks, events };
}

/** The assembled stream equals the assembled completion (tool call ids aside). */
function agree(body: Record<string, unknown>): { completion: any; chunks: any[] } {
  const { stream: _s, stream_options: _o, ...rest } = body;
  const completion = complete(rest);
  const s = stream({ ...rest, stream_options: { include_usage: true } });
  const strip = (x: any) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'id' ? undefined : v)));
  assert.deepEqual(strip(assembleStream(s.events.map((data) => ({ data })))), strip(assembleCompletion(completion)));
  return { completion, chunks: s.chunks };
}

function usageAdds(u: any) {
  assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
  assert.ok(u.prompt_tokens > 0 && u.completion_tokens >= 0);
}

describe('plain answers', () => {
  it('a deterministic text that echoes the prompt, with exact usage', () => {
    const c = complete(base('Tell me about llamas and alpacas'));
    assert.match(c.id, /^chatcmpl-/);
    assert.equal(c.object, 'chat.completion');
    assert.ok(Number.isInteger(c.created) && Math.abs(c.created - Date.now() / 1000) < 5, 'created in seconds');
    assert.equal(c.model, 'mock-gpt');
    assert.match(c.system_fingerprint, /^fp_mock_/);
    const [choice] = c.choices;
    assert.equal(choice.message.role, 'assistant');
    assert.match(choice.message.content, /Tell me about llamas and alpacas/);
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.logprobs, null);
    usageAdds(c.usage);
    assert.equal(c.usage.completion_tokens, countTokens(choice.message.content));
    assert.deepEqual(complete(base('Tell me about llamas and alpacas')).choices, c.choices, 'same request, same answer');
    assert.ok(c.usage.completion_tokens < 48, 'short enough for max_tokens 64');
  });

  it('tokens concatenate to the text', () => {
    const text = 'Hello, world!  It\'s 3.14 — ünïcödé {"a":1}\n';
    assert.equal(tokenize(text).join(''), text);
    assert.equal(countTokens(text), tokenize(text).length);
  });

  it('streams: role first, one finish_reason, same id/created/model, no usage without include_usage', () => {
    const { chunks } = stream(base());
    assert.ok(chunks.length > 10, 'many events');
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const ids = new Set(chunks.map((c) => `${c.id}|${c.created}|${c.model}|${c.system_fingerprint}`));
    assert.equal(ids.size, 1);
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason != null);
    assert.equal(finishes.length, 1);
    assert.equal(finishes[0], chunks[chunks.length - 1]);
    assert.ok(chunks.every((c) => !('usage' in c)));
  });

  it('include_usage: a last chunk with choices [] and usage; null before', () => {
    const { chunks } = stream({ ...base(), stream_options: { include_usage: true } });
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    usageAdds(last.usage);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
    assert.deepEqual(last.usage, complete(base()).usage);
  });

  it('accepts sampling parameters and unknown fields without changing the shape', () => {
    agree(base('hi', { temperature: 1.5, top_p: 0.5, top_k: 3, presence_penalty: 1, frequency_penalty: 1, user: 'x', foo: { bar: 1 } }));
  });
});

describe('n, max_tokens, stop', () => {
  it('n: n choices with indexes 0..n-1, streamed interleaved, usage summed', () => {
    const { completion, chunks } = agree(base('Name a colour', { n: 3 }));
    assert.deepEqual(
      completion.choices.map((c: any) => c.index),
      [0, 1, 2],
    );
    const sum = completion.choices.reduce((n: number, c: any) => n + countTokens(c.message.content), 0);
    assert.equal(completion.usage.completion_tokens, sum);
    const order = chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0].index);
    assert.deepEqual(order.slice(0, 3), [0, 1, 2], 'interleaved');
    for (const i of [0, 1, 2]) {
      const own = chunks.filter((c) => c.choices[0]?.index === i);
      assert.equal(own[0].choices[0].delta.role, 'assistant');
      assert.equal(own.filter((c) => c.choices[0].finish_reason != null).length, 1);
      assert.ok(own[own.length - 1].choices[0].finish_reason);
    }
  });

  it('max_tokens / max_completion_tokens cut the answer: finish_reason length', () => {
    for (const limit of [{ max_tokens: 1 }, { max_completion_tokens: 3 }, { max_tokens: 5, n: 2 }]) {
      const { completion } = agree(base('Write a long story', limit));
      const k = Object.values(limit)[0];
      for (const c of completion.choices) {
        assert.equal(c.finish_reason, 'length');
        assert.equal(countTokens(c.message.content), k);
      }
      assert.equal(completion.usage.completion_tokens, k * completion.choices.length);
    }
    assert.equal(complete(base('x', { max_tokens: 64 })).choices[0].finish_reason, 'stop');
  });

  it('stop: the text ends before the first stop sequence, which is absent', () => {
    const full = complete(base('Tell me about llamas')).choices[0].message.content as string;
    for (const stop of ['the', ['llamas', 'zzz'], [',', '.'], 'mock']) {
      const { completion } = agree(base('Tell me about llamas', { stop }));
      const text = completion.choices[0].message.content as string;
      const list = Array.isArray(stop) ? stop : [stop];
      assert.ok(text.length < full.length, `${JSON.stringify(stop)} cut the text`);
      assert.ok(full.startsWith(text));
      for (const s of list) assert.ok(!text.includes(s), `${s} absent from ${text}`);
      assert.equal(completion.choices[0].finish_reason, 'stop');
    }
    assert.equal(complete(base('Tell me about llamas', { stop: 'qqq' })).choices[0].message.content, full);
  });
});

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', minLength: 2 },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
      },
      required: ['location', 'unit'],
      additionalProperties: false,
    },
  },
};
const time = { type: 'function', function: { name: 'get_current_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] } } };
const noParams = { type: 'function', function: { name: 'ping' } };

describe('tools', () => {
  it('a named function: a call whose arguments validate against its parameters', () => {
    const { completion, chunks } = agree(base('hello', { tools: [weather, time], tool_choice: { type: 'function', function: { name: 'get_weather' } } }));
    const [choice] = completion.choices;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.equal(choice.message.tool_calls.length, 1);
    const call = choice.message.tool_calls[0];
    assert.match(call.id, /^call_/);
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    const args = JSON.parse(call.function.arguments);
    assert.ok(ajv.validate(weather.function.parameters, args), JSON.stringify(ajv.errors));
    // streamed: the first fragment has id, type, name and empty arguments; every fragment has index
    const fragments = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.ok(fragments.length >= 3, 'arguments in several fragments');
    assert.deepEqual(Object.keys(fragments[0]).sort(), ['function', 'id', 'index', 'type']);
    assert.equal(fragments[0].function.arguments, '');
    assert.equal(fragments[0].function.name, 'get_weather');
    assert.ok(fragments.every((f: any) => f.index === 0));
    assert.ok(fragments.slice(1).every((f: any) => f.id === undefined && typeof f.function.arguments === 'string'));
    assert.deepEqual(JSON.parse(fragments.map((f: any) => f.function.arguments).join('')), args);
  });

  it('a function without parameters gets "{}"', () => {
    const c = complete(base('x', { tools: [noParams], tool_choice: 'required' }));
    assert.equal(c.choices[0].message.tool_calls[0].function.arguments, '{}');
  });

  it('required: the mentioned tool, else the first', () => {
    assert.equal(complete(base('What time is it in Tokyo?', { tools: [weather, time], tool_choice: 'required' })).choices[0].message.tool_calls[0].function.name, 'get_current_time');
    assert.equal(complete(base('Hi!', { tools: [weather, time], tool_choice: 'required' })).choices[0].message.tool_calls[0].function.name, 'get_weather');
  });

  it('auto: a call when a tool is mentioned, else text; none: text', () => {
    const auto = complete(base("What's the weather in Paris?", { tools: [weather, time] }));
    assert.equal(auto.choices[0].message.tool_calls[0].function.name, 'get_weather');
    assert.equal(auto.choices[0].message.tool_calls.length, 1);
    const text = complete(base('Tell me a joke', { tools: [weather, time], tool_choice: 'auto' }));
    assert.equal(text.choices[0].finish_reason, 'stop');
    assert.equal(typeof text.choices[0].message.content, 'string');
    assert.equal(text.choices[0].message.tool_calls, undefined);
    const none = complete(base("What's the weather in Paris?", { tools: [weather], tool_choice: 'none' }));
    assert.equal(none.choices[0].message.tool_calls, undefined);
  });

  it('parallel: each mentioned tool, distinct ids, indexes 0..; parallel_tool_calls false: one', () => {
    const prompt = "What's the weather in Paris and the current time there?";
    const { completion, chunks } = agree(base(prompt, { tools: [weather, time] }));
    const calls = completion.choices[0].message.tool_calls;
    assert.deepEqual(
      calls.map((c: any) => c.function.name),
      ['get_weather', 'get_current_time'],
    );
    assert.equal(new Set(calls.map((c: any) => c.id)).size, 2);
    const firsts = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).filter((f: any) => f.id);
    assert.deepEqual(
      firsts.map((f: any) => f.index),
      [0, 1],
    );
    const single = complete(base(prompt, { tools: [weather, time], parallel_tool_calls: false }));
    assert.equal(single.choices[0].message.tool_calls.length, 1);
    const required = complete(base(prompt, { tools: [weather, time], tool_choice: 'required', parallel_tool_calls: false }));
    assert.equal(required.choices[0].message.tool_calls.length, 1);
  });

  it('after a tool result: a text answer that acknowledges it', () => {
    const messages = [
      ...user('Weather in Paris?'),
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris","unit":"celsius"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 21, "sky": "sunny"}' },
    ];
    const { completion } = agree({ model: 'mock-gpt', messages, tools: [weather] });
    const text = completion.choices[0].message.content as string;
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.match(text, /get_weather/);
    assert.match(text, /21/);
  });

  it('tools count in prompt_tokens', () => {
    const without = complete(base('Tell me a joke'));
    const withTools = complete(base('Tell me a joke', { tools: [weather, time] }));
    assert.ok(withTools.usage.prompt_tokens > without.usage.prompt_tokens);
  });
});

describe('structured output', () => {
  it('json_object: the content is a JSON object', () => {
    const { completion } = agree(base('Answer in JSON', { response_format: { type: 'json_object' } }));
    const value = JSON.parse(completion.choices[0].message.content);
    assert.equal(typeof value, 'object');
    assert.ok(value && !Array.isArray(value));
  });

  it('json_schema: the content follows the schema (const, enum, required, types, nesting), streamed too', () => {
    const schema = {
      type: 'object',
      properties: {
        kind: { const: 'person' },
        name: { type: 'string', minLength: 3, maxLength: 20 },
        age: { type: 'integer', minimum: 18, maximum: 99 },
        score: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
        mood: { type: 'string', enum: ['happy', 'sad'] },
        nickname: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true },
        address: {
          type: 'object',
          properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
          required: ['city', 'zip'],
          additionalProperties: false,
        },
        friends: { type: 'array', items: { $ref: '#/$defs/friend' }, maxItems: 2 },
        active: { type: 'boolean' },
      },
      required: ['kind', 'name', 'age', 'score', 'mood', 'nickname', 'tags', 'address', 'friends', 'active'],
      additionalProperties: false,
      $defs: { friend: { type: 'object', properties: { name: { type: 'string' }, since: { type: 'string', format: 'date' } }, required: ['name', 'since'] } },
    };
    const { completion } = agree(base('Describe a person', { response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema } } }));
    const value = JSON.parse(completion.choices[0].message.content);
    assert.ok(ajv.validate(schema, value), JSON.stringify(ajv.errors));
    assert.equal(value.kind, 'person');
  });

  it('the generator satisfies a range of schemas', () => {
    const schemas: unknown[] = [
      {},
      { type: 'object' },
      { type: 'array', items: { type: 'integer', multipleOf: 3, minimum: 10 }, minItems: 3, uniqueItems: true },
      { anyOf: [{ type: 'null' }, { type: 'object', properties: { a: { type: 'string', format: 'email' } }, required: ['a'] }] },
      { oneOf: [{ type: 'string', enum: ['x'] }, { type: 'number' }] },
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } }, required: ['b'] }] },
      { type: 'object', additionalProperties: { type: 'integer' }, required: ['x', 'y'] },
      { type: 'object', properties: { t: { type: 'string', format: 'date-time' }, u: { type: 'string', format: 'uuid' }, w: { type: 'string', format: 'uri' } }, required: ['t', 'u', 'w'] },
      { type: 'object', properties: { node: { $ref: '#/$defs/node' } }, $defs: { node: { type: 'object', properties: { next: { anyOf: [{ $ref: '#/$defs/node' }, { type: 'null' }] } } } } },
      { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{3}$' }, n: { type: 'number', exclusiveMaximum: 0 } }, required: ['code', 'n'] },
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
    ];
    for (const schema of schemas) {
      const value = generateFromSchema(schema);
      assert.ok(ajv.validate(schema as object, value), `${JSON.stringify(schema)} → ${JSON.stringify(value)}: ${JSON.stringify(ajv.errors)}`);
    }
    assert.deepEqual(generateArguments(undefined), {});
    assert.deepEqual(generateArguments({}), {});
  });
});

describe('logprobs, vision, reasoning, seed', () => {
  it('logprobs: one entry per token with logprob <= 0, bytes and top_logprobs of the requested length', () => {
    const { completion, chunks } = agree(base('hello', { logprobs: true, top_logprobs: 3 }));
    const choice = completion.choices[0];
    const entries = choice.logprobs.content;
    assert.ok(validate('logprobs', choice.logprobs).ok);
    assert.equal(entries.map((e: any) => e.token).join(''), choice.message.content);
    for (const e of entries) {
      assert.ok(e.logprob <= 0);
      assert.deepEqual(e.bytes, [...Buffer.from(e.token)]);
      assert.equal(e.top_logprobs.length, 3);
      assert.ok(e.top_logprobs.every((t: any) => t.logprob <= 0));
    }
    const streamed = chunks.filter((c) => c.choices[0]?.delta?.content).flatMap((c) => c.choices[0].logprobs.content);
    assert.deepEqual(streamed, entries);
    assert.equal(complete(base('hello', { logprobs: true })).choices[0].logprobs.content[0].top_logprobs.length, 0);
  });

  it('images are accepted and mentioned', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image_url', image_url: { url: png, detail: 'low' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ];
    const { completion } = agree({ model: 'mock-gpt', messages });
    assert.match(completion.choices[0].message.content, /2 images/);
    assert.ok(completion.usage.prompt_tokens > 170, 'images count in the prompt');
  });

  it('mock-reasoner: reasoning_content first, then content; streamed as reasoning deltas', () => {
    const { completion, chunks } = agree({ model: 'mock-reasoner', messages: user('Is 9.11 bigger than 9.8?') });
    const m = completion.choices[0].message;
    assert.ok(typeof m.reasoning_content === 'string' && m.reasoning_content.length > 0);
    assert.ok(typeof m.content === 'string' && m.content.length > 0);
    assert.equal(completion.usage.completion_tokens_details.reasoning_tokens, countTokens(m.reasoning_content));
    const kinds = chunks.filter((c) => c.choices[0]?.delta).map((c) => (c.choices[0].delta.reasoning_content ? 'r' : c.choices[0].delta.content ? 'c' : '-'));
    const firstContent = kinds.indexOf('c');
    assert.ok(kinds.indexOf('r') >= 0 && kinds.lastIndexOf('r') < firstContent, 'reasoning before content');
  });

  it('seed: identical output for an identical request; the fingerprint follows the seed', () => {
    const a = complete(base('Pick a number', { seed: 42, n: 2 }));
    const b = complete(base('Pick a number', { seed: 42, n: 2 }));
    assert.deepEqual(a.choices, b.choices);
    assert.deepEqual(a.usage, b.usage);
    assert.equal(a.system_fingerprint, b.system_fingerprint);
    const c = complete(base('Pick a number', { seed: 7, n: 2 }));
    assert.notEqual(c.system_fingerprint, a.system_fingerprint);
    assert.notDeepEqual(
      c.choices.map((x: any) => x.message.content),
      a.choices.map((x: any) => x.message.content),
    );
  });
});

describe('stream and non-stream agree', () => {
  it('for a matrix of requests', () => {
    const bodies: Record<string, unknown>[] = [
      base(),
      base('x', { n: 2, max_tokens: 7 }),
      base('weather?', { tools: [weather], tool_choice: 'required', n: 2 }),
      base('x', { stop: ['answer'], logprobs: true, top_logprobs: 1 }),
      { model: 'mock-reasoner', messages: user('why'), max_tokens: 30 },
      { model: 'mock-reasoner', messages: user('weather in Rome'), tools: [weather] },
      base('json', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'array', items: { type: 'number' } } }, required: ['a'] } } } }),
      { model: 'mock-gpt', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: 'Really.' }, ...user('Hi')] },
    ];
    for (const body of bodies) agree(body);
  });
});
