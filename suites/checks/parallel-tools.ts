// Parallel tool calls: several calls in one message (distinct ids, arguments per call), streamed
// with indexes 0..n-1, the results of several calls sent back, and parallel_tool_calls: false.
import { messageOf } from './support/completion.ts';
import { accepted, completion, given, parsedStream, prerequisite, sendAccepted, unanswered, type Skip } from './support/gates.ts';
import { param, schema as contract } from './support/refs.ts';
import { TWO_CITIES_PROMPT, parallelToolBody } from './support/requests.ts';
import { show } from './support/text.ts';
import { argumentsValid, asCall, assistantTurn, calledNames, callsIn, distinctIds, freshCalls, streamedCalls, type StreamedCalls } from './support/tool-calls.ts';
import { checksOf, type Exchange, type RequestSpec } from './types.ts';

type Json = Record<string, any>;

const PARALLEL: RequestSpec = { body: parallelToolBody() };
const PARALLEL_STREAM: RequestSpec = { body: parallelToolBody({ stream: true }) };
const SERIAL: RequestSpec = { body: parallelToolBody({ parallel_tool_calls: false }) };
const PARALLEL_TOOL_CALLS = param('parallel_tool_calls');

/** The calls of a non-stream answer when there are at least two; otherwise a SKIP. */
function severalCalls(x: Exchange): Json[] | Skip {
  const calls = messageOf(x)?.tool_calls;
  if (Array.isArray(calls) && calls.length >= 2) return calls;
  return prerequisite(`the answer carries ${Array.isArray(calls) ? calls.length : 0} tool call(s), not several`, 'parallel-tools.several-calls');
}

/** The streamed calls when there are at least two; otherwise a SKIP. */
function severalStreamed(x: Exchange): StreamedCalls | Skip {
  const got = streamedCalls('parallel-tools.stream.indexes')(x);
  if (!('calls' in got) || got.calls.length >= 2) return got;
  return prerequisite(`the stream carried ${got.calls.length} tool call index(es), not several`, 'parallel-tools.stream.indexes');
}

export const parallelToolChecks = checksOf('parallel-tools', [
  { id: 'parallel-tools.several-calls', level: 'SHOULD', fault: 'parallel.single-call', ref: PARALLEL_TOOL_CALLS, dependsOnModel: true,
    title: 'A request that needs two tools yields several calls in one message', requirement: 'When one turn needs two tools, the model "should call both in one message" (parallel tool calls).',
    async run(ctx, out) {
      const got = await freshCalls(ctx, PARALLEL, 'parallel-tools', out);
      if ('finding' in got) return got.finding;
      const { names } = got;
      if (names.length < 2) return `one turn needing get_weather and get_time produced ${names.length} tool call(s) ${show(names)}, not several in one message`;
      if (!names.includes('get_weather') || !names.includes('get_time')) return `the calls are to ${show(names)}, not to both get_weather and get_time`;
    },
  },
  { id: 'parallel-tools.distinct-ids', level: 'MUST', fault: 'tools.duplicate-ids', ref: contract('tool-call', '/properties/id'),
    title: 'Parallel calls have distinct, non-empty ids', requirement: 'Several tool calls in one message "must each have their own non-empty id", so that each result can be matched.',
    request: PARALLEL, validate: completion(given(severalCalls, (calls) => distinctIds(calls))),
  },
  { id: 'parallel-tools.arguments', level: 'MUST', fault: 'parallel.second-args-broken', ref: param('tools'),
    title: 'Each parallel call has its own valid arguments', requirement: 'Each of several tool calls "must carry arguments that parse and validate against its own tool\'s parameters".',
    request: PARALLEL, validate: completion(given(severalCalls, (calls, x, out) => argumentsValid(calls.map((c) => ({ name: c?.function?.name, arguments: c?.function?.arguments })), x, out, (i) => `choices[0].message.tool_calls[${i}]`))),
  },
  { id: 'parallel-tools.stream.indexes', level: 'MUST', fault: 'parallel.stream-same-index', ref: contract('tool-call-delta', '/properties/index'),
    title: 'Streamed parallel calls use indexes 0..n-1, one call per index', requirement: 'Streamed parallel calls "must be told apart by index": indexes 0..n-1, each index one call with one id.',
    request: PARALLEL_STREAM, validate: parsedStream(given(streamedCalls('tools.stream.index-on-every-fragment'), ({ calls }, _x, out) => {
      out.notes.indexes = calls.map((c) => c.index);
      for (const call of calls) {
        const ids = [...new Set(call.fragments.map((f) => f.id).filter((id) => typeof id === 'string' && id !== ''))];
        if (ids.length > 1) return `tool call index ${call.index} carries fragments with ${ids.length} different ids ${show(ids)}: several calls share one index`;
        const names = [...new Set(call.fragments.map((f) => f.name).filter((n) => typeof n === 'string' && n !== ''))];
        if (names.length > 1) return `tool call index ${call.index} carries fragments naming ${show(names)}: several calls share one index`;
      }
      if (calls.length < 2) return { skip: `the model made ${calls.length} streamed tool call, so there are no parallel indexes to judge (see parallel-tools.several-calls)` };
      const indexes = calls.map((c) => c.index);
      if (indexes.some((v, i) => v !== i)) return `the streamed tool-call indexes are ${show(indexes)}, not ${show(indexes.map((_, i) => i))}`;
    })),
  },
  { id: 'parallel-tools.stream.distinct-ids', level: 'MUST', fault: 'tools.duplicate-ids', ref: contract('tool-call-delta', '/properties/id'),
    title: 'Streamed parallel calls have distinct ids', requirement: 'Each streamed tool-call index "must have its own id".',
    request: PARALLEL_STREAM, validate: parsedStream(given(severalStreamed, ({ calls }) => {
      const seen = new Map<unknown, number>();
      for (const call of calls) {
        const id = call.fragments[0].id;
        if (typeof id !== 'string' || id === '') return prerequisite(`tool call index ${call.index} has no id on its first fragment`, 'tools.stream.first-fragment');
        if (seen.has(id)) return `tool call index ${call.index} has id ${show(id)}, the same as index ${seen.get(id)}`;
        seen.set(id, call.index);
      }
    })),
  },
  { id: 'parallel-tools.stream.arguments', level: 'MUST', fault: 'parallel.stream-args-broken', ref: param('tools'),
    title: 'Each streamed parallel call\'s fragments concatenate to valid arguments', requirement: 'The fragments of each index, concatenated, "must form JSON that validates against that call\'s tool".',
    request: PARALLEL_STREAM, validate: parsedStream(given(severalStreamed, ({ calls }, x, out) => argumentsValid(calls.map(asCall), x, out, (i) => `streamed tool call index ${calls[i].index} (${calls[i].fragments.length} fragments)`))),
  },
  { id: 'parallel-tools.round-trip', level: 'MUST', fault: 'parallel.reject-several-results', ref: param('messages'),
    title: 'The results of several calls sent back yield an answer', requirement: 'An assistant message with several tool_calls followed by one tool message per call "must be accepted and answered".',
    async run(ctx, out) {
      const first = await ctx.send(PARALLEL);
      const calls = accepted(first, ctx, 'parallel-tools') ?? severalCalls(first);
      if (!Array.isArray(calls)) return calls;
      if (calls.some((c) => typeof c?.id !== 'string' || !c.id)) return prerequisite('a tool call has no id to answer', 'parallel-tools.distinct-ids');
      const results = calls.map((c) => ({
        role: 'tool',
        tool_call_id: c.id,
        content: c.function?.name === 'get_time' ? JSON.stringify({ city: 'Tokyo', time: '21:04' }) : JSON.stringify({ city: 'Paris', temperature: 18, unit: 'celsius' }),
      }));
      const messages = [{ role: 'user', content: TWO_CITIES_PROMPT }, assistantTurn(calls), ...results];
      const x = await ctx.send({ body: { messages, tools: (PARALLEL.body as Json).tools, max_tokens: 64 } });
      const problem = unanswered(x, `the turn with ${results.length} tool results`);
      if (problem) return problem;
      const message = messageOf(x);
      out.notes.answer = message?.content ?? message?.tool_calls;
      if (message?.role !== 'assistant') return `the answer to ${results.length} tool results has choices[0].message.role ${show(message?.role)}, not "assistant"`;
    },
  },
  { id: 'parallel-tools.disabled', level: 'SHOULD', fault: 'parallel.flag-ignored', ref: PARALLEL_TOOL_CALLS,
    title: 'Effect probe: parallel_tool_calls: false gives at most one call', requirement: 'With parallel_tool_calls: false, the answer "should carry at most one tool call".',
    async run(ctx, out) {
      const got = await sendAccepted(ctx, SERIAL, 'parallel-tools');
      if ('finding' in got) return got.finding;
      const calls = callsIn(got.x);
      out.notes.calls = calls.length;
      if (calls.length === 0) return prerequisite('no tool call came back for tool_choice "required"', 'tools.required');
      if (calls.length > 1) return { ignored: `parallel_tool_calls: false was accepted but the message carries ${calls.length} tool calls ${show(calledNames(calls))}` };
    },
  },
]);
