// Parallel tool calls: several calls in one message (distinct ids, arguments per call), streamed
// with indexes 0..n-1, the results of several calls sent back, and parallel_tool_calls: false.
import {
  TWO_CITIES_PROMPT,
  declaredTools,
  followUp,
  gate,
  isObject,
  messageOf,
  okJson,
  okStream,
  parallelToolBody,
  parseArguments,
  schemaProblems,
  show,
  streamedCallsOf,
  type StreamToolCall,
} from './feature-helpers.ts';
import type { Check, Exchange, Finding, RequestSpec } from './types.ts';

const PARALLEL: RequestSpec = { body: parallelToolBody() };
const PARALLEL_STREAM: RequestSpec = { body: parallelToolBody({ stream: true }) };
const SERIAL: RequestSpec = { body: parallelToolBody({ parallel_tool_calls: false }) };

/** The calls of a non-stream answer when there are at least two; otherwise a skip. */
function severalCalls(x: Exchange): { calls: Record<string, any>[] } | { skip: string } {
  const calls = messageOf(x)?.tool_calls;
  if (!Array.isArray(calls) || calls.length < 2) {
    return { skip: `prerequisite failed: the answer carries ${Array.isArray(calls) ? calls.length : 0} tool call(s), not several (see parallel-tools.several-calls)` };
  }
  return { calls };
}

function severalStreamed(x: Exchange): { calls: StreamToolCall[] } | { skip: string } {
  const got = streamedCallsOf(x, 'parallel-tools.stream.indexes');
  if ('skip' in got) return got;
  if (got.calls.length < 2) return { skip: `prerequisite failed: the stream carried ${got.calls.length} tool call index(es), not several (see parallel-tools.stream.indexes)` };
  return got;
}

function validateEach(calls: { name: unknown; arguments: unknown }[], x: Exchange, where: (i: number) => string, out: { notes: Record<string, unknown> }): Finding | undefined {
  const tools = declaredTools(x);
  for (const [i, call] of calls.entries()) {
    const parsed = parseArguments(call.arguments);
    if ('problem' in parsed) return `${where(i)}: ${parsed.problem}`;
    if (!isObject(parsed.value)) return `${where(i)}: arguments parse to ${show(parsed.value)}, not a JSON object`;
    out.notes[`arguments[${i}]`] = parsed.value;
    const tool = tools.get(call.name as string);
    if (!tool) return `${where(i)}: calls ${show(call.name)}, which the request did not declare`;
    const problems = schemaProblems(tool.parameters, parsed.value);
    if (problems.length > 0) return `${where(i)}: arguments ${show(parsed.value)} do not validate against the parameters of ${call.name}: ${problems.join('; ')}`;
  }
}

export const parallelToolChecks: Check[] = [
  {
    id: 'parallel-tools.several-calls',
    level: 'SHOULD',
    capability: 'parallel-tools',
    title: 'A request that needs two tools yields several calls in one message',
    requirement: 'When one turn needs two tools, the model "should call both in one message" (parallel tool calls).',
    fault: 'parallel.single-call',
    dependsOnModel: true,
    async run(ctx, out) {
      const x = await ctx.send(PARALLEL, { fresh: true });
      const refused = gate(x, ctx, 'parallel-tools');
      if (refused) return refused;
      const calls = messageOf(x)?.tool_calls;
      const names = Array.isArray(calls) ? calls.map((c: any) => c?.function?.name) : [];
      out.notes.called = names;
      if (names.length < 2) return `one turn needing get_weather and get_time produced ${names.length} tool call(s) ${show(names)}, not several in one message`;
      if (!names.includes('get_weather') || !names.includes('get_time')) return `the calls are to ${show(names)}, not to both get_weather and get_time`;
    },
  },
  {
    id: 'parallel-tools.distinct-ids',
    level: 'MUST',
    capability: 'parallel-tools',
    title: 'Parallel calls have distinct, non-empty ids',
    requirement: 'Several tool calls in one message "must each have their own non-empty id", so that each result can be matched.',
    fault: 'tools.duplicate-ids',
    request: PARALLEL,
    validate: [
      okJson,
      (x) => {
        const got = severalCalls(x);
        if ('skip' in got) return got;
        const seen = new Map<unknown, number>();
        for (const [i, call] of got.calls.entries()) {
          if (typeof call?.id !== 'string' || call.id === '') return `choices[0].message.tool_calls[${i}].id is ${show(call?.id)}, not a non-empty string`;
          if (seen.has(call.id)) return `choices[0].message.tool_calls[${i}].id ${show(call.id)} repeats tool_calls[${seen.get(call.id)}].id`;
          seen.set(call.id, i);
        }
      },
    ],
  },
  {
    id: 'parallel-tools.arguments',
    level: 'MUST',
    capability: 'parallel-tools',
    title: 'Each parallel call has its own valid arguments',
    requirement: 'Each of several tool calls "must carry arguments that parse and validate against its own tool\'s parameters".',
    fault: 'parallel.second-args-broken',
    request: PARALLEL,
    validate: [
      okJson,
      (x, _ctx, out) => {
        const got = severalCalls(x);
        if ('skip' in got) return got;
        return validateEach(
          got.calls.map((c) => ({ name: c?.function?.name, arguments: c?.function?.arguments })),
          x,
          (i) => `choices[0].message.tool_calls[${i}]`,
          out,
        );
      },
    ],
  },
  {
    id: 'parallel-tools.stream.indexes',
    level: 'MUST',
    capability: 'parallel-tools',
    title: 'Streamed parallel calls use indexes 0..n-1, one call per index',
    requirement: 'Streamed parallel calls "must be told apart by index": indexes 0..n-1, each index one call with one id.',
    fault: 'parallel.stream-same-index',
    request: PARALLEL_STREAM,
    validate: [
      okStream,
      (x, _ctx, out) => {
        const got = streamedCallsOf(x, 'tools.stream.index-on-every-fragment');
        if ('skip' in got) return got;
        out.notes.indexes = got.calls.map((c) => c.index);
        for (const call of got.calls) {
          const ids = [...new Set(call.fragments.map((f) => f.id).filter((id) => typeof id === 'string' && id !== ''))];
          if (ids.length > 1) return `tool call index ${call.index} carries fragments with ${ids.length} different ids ${show(ids)}: several calls share one index`;
          const names = [...new Set(call.fragments.map((f) => f.name).filter((n) => typeof n === 'string' && n !== ''))];
          if (names.length > 1) return `tool call index ${call.index} carries fragments naming ${show(names)}: several calls share one index`;
        }
        if (got.calls.length < 2) return { skip: `the model made ${got.calls.length} streamed tool call, so there are no parallel indexes to judge (see parallel-tools.several-calls)` };
        const indexes = got.calls.map((c) => c.index);
        const expected = indexes.map((_, i) => i);
        if (indexes.some((v, i) => v !== expected[i])) return `the streamed tool-call indexes are ${show(indexes)}, not ${show(expected)}`;
      },
    ],
  },
  {
    id: 'parallel-tools.stream.distinct-ids',
    level: 'MUST',
    capability: 'parallel-tools',
    title: 'Streamed parallel calls have distinct ids',
    requirement: 'Each streamed tool-call index "must have its own id".',
    fault: 'tools.duplicate-ids',
    request: PARALLEL_STREAM,
    validate: [
      okStream,
      (x) => {
        const got = severalStreamed(x);
        if ('skip' in got) return got;
        const seen = new Map<unknown, number>();
        for (const call of got.calls) {
          if (typeof call.id !== 'string' || call.id === '') return { skip: `prerequisite failed: tool call index ${call.index} has no id on its first fragment (see tools.stream.first-fragment)` };
          if (seen.has(call.id)) return `tool call index ${call.index} has id ${show(call.id)}, the same as index ${seen.get(call.id)}`;
          seen.set(call.id, call.index);
        }
      },
    ],
  },
  {
    id: 'parallel-tools.stream.arguments',
    level: 'MUST',
    capability: 'parallel-tools',
    title: 'Each streamed parallel call\'s fragments concatenate to valid arguments',
    requirement: 'The fragments of each index, concatenated, "must form JSON that validates against that call\'s tool".',
    fault: 'parallel.stream-args-broken',
    request: PARALLEL_STREAM,
    validate: [
      okStream,
      (x, _ctx, out) => {
        const got = severalStreamed(x);
        if ('skip' in got) return got;
        return validateEach(got.calls, x, (i) => `streamed tool call index ${got.calls[i].index} (${got.calls[i].fragments.length} fragments)`, out);
      },
    ],
  },
  {
    id: 'parallel-tools.round-trip',
    level: 'MUST',
    capability: 'parallel-tools',
    title: 'The results of several calls sent back yield an answer',
    requirement: 'An assistant message with several tool_calls followed by one tool message per call "must be accepted and answered".',
    fault: 'parallel.reject-several-results',
    async run(ctx, out) {
      const first = await ctx.send(PARALLEL);
      const refused = gate(first, ctx, 'parallel-tools');
      if (refused) return refused;
      const got = severalCalls(first);
      if ('skip' in got) return got;
      if (got.calls.some((c) => typeof c?.id !== 'string' || !c.id)) return { skip: 'prerequisite failed: a tool call has no id to answer (see parallel-tools.distinct-ids)' };
      const results = got.calls.map((c) => ({
        role: 'tool',
        tool_call_id: c.id,
        content: c.function?.name === 'get_time' ? JSON.stringify({ city: 'Tokyo', time: '21:04' }) : JSON.stringify({ city: 'Paris', temperature: 18, unit: 'celsius' }),
      }));
      const x = await ctx.send({
        body: {
          messages: [
            { role: 'user', content: TWO_CITIES_PROMPT },
            { role: 'assistant', content: null, tool_calls: got.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function?.name, arguments: c.function?.arguments } })) },
            ...results,
          ],
          tools: (PARALLEL.body as any).tools,
          max_tokens: 64,
        },
      });
      const problem = followUp(x, `the turn with ${results.length} tool results`);
      if (problem) return problem;
      const message = messageOf(x);
      out.notes.answer = message?.content ?? message?.tool_calls;
      if (message?.role !== 'assistant') return `the answer to ${results.length} tool results has choices[0].message.role ${show(message?.role)}, not "assistant"`;
    },
  },
  {
    id: 'parallel-tools.disabled',
    level: 'SHOULD',
    capability: 'parallel-tools',
    title: 'Effect probe: parallel_tool_calls: false gives at most one call',
    requirement: 'With parallel_tool_calls: false, the answer "should carry at most one tool call".',
    fault: 'parallel.flag-ignored',
    async run(ctx, out) {
      const x = await ctx.send(SERIAL);
      const refused = gate(x, ctx, 'parallel-tools');
      if (refused) return refused;
      const calls = messageOf(x)?.tool_calls;
      const n = Array.isArray(calls) ? calls.length : 0;
      out.notes.calls = n;
      if (n === 0) return { skip: `prerequisite failed: no tool call came back for tool_choice "required" (see tools.required)` };
      if (n > 1) return { ignored: `parallel_tool_calls: false was accepted but the message carries ${n} tool calls ${show(calls.map((c: any) => c?.function?.name))}` };
    },
  },
];
