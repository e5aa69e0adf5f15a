// Function calling: forced calls (a named tool_choice) judged field by field, "required", "auto" and
// "none", the tool-result round trip, streamed fragments, strict mode, limits and an effect probe.
import { cutBefore } from './gates.ts';
import {
  NAMED_TOOL,
  TIME_TOOL,
  WEATHER_PROMPT,
  WEATHER_TOOL,
  declaredTools,
  finishList,
  followUp,
  gate,
  isObject,
  messageOf,
  named,
  namedToolBody,
  okJson,
  okStream,
  parseArguments,
  requiredToolBody,
  schemaProblems,
  show,
  streamedCallsOf,
  toolCallsOf,
  usageOf,
  viewStream,
  withStrict,
} from './feature-helpers.ts';
import type { Check, Exchange, Finding, RequestSpec, Validator } from './types.ts';
import { firstChoice } from './validators.ts';

const NAMED: RequestSpec = { body: namedToolBody() };
const REQUIRED_STREAM: RequestSpec = { body: requiredToolBody({ stream: true }) };
const AUTO_BODY = { messages: [{ role: 'user', content: `${WEATHER_PROMPT} Use the get_weather tool.` }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'auto', max_tokens: 256 };
const AUTO: RequestSpec = { body: AUTO_BODY };
const AUTO_STREAM: RequestSpec = { body: { ...AUTO_BODY, stream: true } };
const REQUIRED: RequestSpec = {
  body: { messages: [{ role: 'user', content: 'Say hello in five words.' }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'required', max_tokens: 256 },
};
const NONE: RequestSpec = {
  body: { messages: [{ role: 'user', content: WEATHER_PROMPT }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'none', max_tokens: 64 },
};
const STRICT: RequestSpec = { body: namedToolBody({ tools: [withStrict(WEATHER_TOOL), withStrict(TIME_TOOL)] }) };
const NO_TOOLS: RequestSpec = { body: { messages: [{ role: 'user', content: WEATHER_PROMPT }], max_tokens: 64 } };

const SERVER_TIME_TOOL = { type: 'function', function: { name: 'get_server_time', description: 'Get the server time. Takes no arguments.' } };
const PING_TOOL = {
  type: 'function',
  function: { name: 'ping', description: 'Ping the service. Takes no arguments.', parameters: { type: 'object', properties: {} } },
};

/** The first tool call of a non-stream answer, or a skip when there is none. */
function withCalls(requiredBy: string, judge: (calls: Record<string, any>[], x: Exchange, out: { notes: Record<string, unknown> }) => Finding | undefined): Validator {
  return (x, _ctx, out) => {
    const got = toolCallsOf(x, requiredBy);
    if ('skip' in got) return got;
    return judge(got.calls, x, out);
  };
}

/** arguments of every call parse as a JSON object. */
function argumentsParse(calls: Record<string, any>[], where = 'choices[0].message.tool_calls'): Finding | undefined {
  for (const [i, call] of calls.entries()) {
    const parsed = parseArguments(call?.function?.arguments);
    if ('problem' in parsed) return `${where}[${i}].function.${parsed.problem}`;
    if (!isObject(parsed.value)) return `${where}[${i}].function.arguments parses to ${show(parsed.value)}, not a JSON object`;
  }
}

/** arguments of every call validate against the declared tool's parameters schema. */
function argumentsValidate(
  calls: Record<string, any>[],
  x: Exchange,
  out: { notes: Record<string, unknown> },
  at: (i: number) => string = (i) => `choices[0].message.tool_calls[${i}].function.arguments`,
): Finding | undefined {
  const tools = declaredTools(x);
  for (const [i, call] of calls.entries()) {
    const name = call?.function?.name;
    const parsed = parseArguments(call?.function?.arguments);
    if ('problem' in parsed) return { skip: `prerequisite failed: ${at(i)}: ${parsed.problem} (see the arguments-json check)` };
    out.notes[`arguments[${i}]`] = parsed.value;
    const tool = tools.get(name);
    if (!tool) return { skip: `prerequisite failed: ${at(i)} belong to a call of ${show(name)}, which the request did not declare` };
    const problems = schemaProblems(tool.parameters ?? { type: 'object' }, parsed.value);
    if (problems.length > 0) {
      return `${at(i)} ${show(parsed.value)} do not validate against the parameters of ${name}: ${problems.join('; ')}`;
    }
  }
}

/** finish_reason "tool_calls" when the message carries tool calls ("length": cut, inconclusive). */
function finishIsToolCalls(value: unknown, where: string): Finding | undefined {
  if (value === 'tool_calls') return undefined;
  if (value === 'length') return { skip: `inconclusive: ${where} is "length": the answer was cut by max_tokens before the turn ended` };
  return `${where} is ${show(value)}, not "tool_calls", although the message carries tool calls`;
}

/** The stream's tool calls (merged by index) for choice 0, or a skip. */
function withStreamCalls(
  requiredBy: string,
  judge: (view: Exclude<ReturnType<typeof streamedCallsOf>, { skip: string }>, x: Exchange, out: { notes: Record<string, unknown> }) => Finding | undefined,
): Validator {
  return (x, _ctx, out) => {
    const got = streamedCallsOf(x, requiredBy);
    if ('skip' in got) return got;
    return judge(got, x, out);
  };
}

export const toolChecks: Check[] = [
  {
    id: 'tools.named.tool-calls',
    level: 'MUST',
    capability: 'tools',
    title: 'A named tool_choice yields tool_calls',
    requirement: 'With tool_choice naming a function, the answer "must carry that call in choices[0].message.tool_calls".',
    fault: 'tools.named-ignored',
    request: NAMED,
    validate: [
      okJson,
      (x) => {
        const calls = messageOf(x)?.tool_calls;
        if (Array.isArray(calls) && calls.length > 0) return undefined;
        const cut = cutBefore(x, 'a tool call');
        if (cut) return cut;
        if (!Array.isArray(calls)) return `choices[0].message.tool_calls is ${show(calls)}, not an array, although tool_choice named ${NAMED_TOOL} (content: ${show(messageOf(x)?.content, 80)})`;
        return `choices[0].message.tool_calls is an empty array, although tool_choice named ${NAMED_TOOL}`;
      },
    ],
  },
  {
    id: 'tools.finish-reason',
    level: 'MUST',
    capability: 'tools',
    title: 'A tool-call answer has finish_reason "tool_calls"',
    requirement: 'When the model chooses to call a tool (tool_choice "auto"), the choice "must end with finish_reason tool_calls".',
    fault: 'tools.finish-reason-stop',
    request: AUTO,
    validate: [
      okJson,
      (x) => {
        const calls = messageOf(x)?.tool_calls;
        if (!Array.isArray(calls) || calls.length === 0) return { skip: 'the model answered without a tool call, so there is no tool-call finish_reason to judge (see tools.auto)' };
        return finishIsToolCalls(firstChoice(x)?.finish_reason, 'choices[0].finish_reason');
      },
    ],
  },
  {
    id: 'tools.named.finish-reason',
    level: 'SHOULD',
    capability: 'tools',
    title: 'A forced tool call has finish_reason "tool_calls"',
    requirement: 'With tool_choice naming a function, the choice "should end with finish_reason tool_calls" (OpenAI itself sends "stop" here, so clients must not rely on it).',
    fault: 'tools.finish-reason-stop',
    request: NAMED,
    validate: [okJson, withCalls('tools.named.tool-calls', (_calls, x) => finishIsToolCalls(firstChoice(x)?.finish_reason, 'choices[0].finish_reason'))],
  },
  {
    id: 'tools.named.id',
    level: 'MUST',
    capability: 'tools',
    title: 'Every tool call has a non-empty, unique id',
    requirement: 'Each tool call "must have a non-empty id, unique within the message", so that tool results can refer to it.',
    fault: 'tools.empty-id',
    request: NAMED,
    validate: [
      okJson,
      withCalls('tools.named.tool-calls', (calls) => {
        const seen = new Map<string, number>();
        for (const [i, call] of calls.entries()) {
          if (typeof call?.id !== 'string' || call.id.trim() === '') return `choices[0].message.tool_calls[${i}].id is ${show(call?.id)}, not a non-empty string`;
          if (seen.has(call.id)) return `choices[0].message.tool_calls[${i}].id ${show(call.id)} repeats tool_calls[${seen.get(call.id)}].id`;
          seen.set(call.id, i);
        }
      }),
    ],
  },
  {
    id: 'tools.named.type-function',
    level: 'MUST',
    capability: 'tools',
    title: 'Every tool call has type "function" and a function object',
    requirement: 'Each tool call "must have type function and a function object with name and arguments".',
    fault: 'tools.wrong-type',
    request: NAMED,
    validate: [
      okJson,
      withCalls('tools.named.tool-calls', (calls) => {
        for (const [i, call] of calls.entries()) {
          if (call?.type !== 'function') return `choices[0].message.tool_calls[${i}].type is ${show(call?.type)}, not "function"`;
          if (!isObject(call.function)) return `choices[0].message.tool_calls[${i}].function is ${show(call.function)}, not an object`;
        }
      }),
    ],
  },
  {
    id: 'tools.named.function-name',
    level: 'MUST',
    capability: 'tools',
    title: 'A named tool_choice calls exactly that function',
    requirement: 'With tool_choice naming a function, "the call must be to that function", by its exact name.',
    fault: 'tools.named-as-auto',
    request: NAMED,
    validate: [
      okJson,
      withCalls('tools.named.tool-calls', (calls) => {
        const names = calls.map((c) => c?.function?.name);
        const wrong = names.findIndex((n) => n !== NAMED_TOOL);
        if (wrong >= 0) {
          const asAuto = names[wrong] === 'get_weather' ? ': the tool the question needs, as if tool_choice were "auto"' : '';
          return `choices[0].message.tool_calls[${wrong}].function.name is ${show(names[wrong])}, not "${NAMED_TOOL}" (named by tool_choice)${asAuto}`;
        }
      }),
    ],
  },
  {
    id: 'tools.named.arguments-json',
    level: 'MUST',
    capability: 'tools',
    title: 'function.arguments is a JSON string that parses to an object',
    requirement: 'function.arguments "must be a string holding a JSON object".',
    fault: 'tools.args-not-json',
    request: NAMED,
    validate: [okJson, withCalls('tools.named.tool-calls', (calls, x) => argumentsParse(calls) && (cutBefore(x, 'the end of the arguments') ?? argumentsParse(calls)))],
  },
  {
    id: 'tools.named.arguments-schema',
    level: 'SHOULD',
    capability: 'tools',
    title: 'function.arguments validates against the tool\'s parameters',
    requirement: 'The parsed arguments of a (non-strict) tool "should validate against the JSON Schema the tool declared as parameters"; without strict the model chooses them, so it is a rate over REPEAT.',
    dependsOnModel: true,
    fault: 'tools.args-schema-violation',
    request: NAMED,
    validate: [okJson, withCalls('tools.named.tool-calls', (calls, x, out) => argumentsValidate(calls, x, out))],
  },
  {
    id: 'tools.named.content-null',
    level: 'SHOULD',
    capability: 'tools',
    title: 'A tool-call message has content null (or empty)',
    requirement: 'A message that carries tool calls "should have content null", as OpenAI sends it.',
    fault: 'tools.content-with-calls',
    request: NAMED,
    validate: [
      okJson,
      withCalls('tools.named.tool-calls', (_calls, x) => {
        const content = messageOf(x)?.content;
        if (content === null || content === undefined || content === '') return undefined;
        return `choices[0].message.content is ${show(content, 80)} alongside tool_calls, not null`;
      }),
    ],
  },
  {
    id: 'tools.required',
    level: 'MUST',
    capability: 'tools',
    title: 'tool_choice "required" yields a tool call',
    requirement: 'With tool_choice "required", the model "must call one or more tools".',
    fault: 'tools.required-ignored',
    request: REQUIRED,
    validate: [
      okJson,
      (x, _ctx, out) => {
        const calls = messageOf(x)?.tool_calls;
        if (!Array.isArray(calls) || calls.length === 0) {
          return cutBefore(x, 'a tool call') ?? `choices[0].message.tool_calls is ${show(calls)}, although tool_choice was "required" (content: ${show(messageOf(x)?.content, 80)})`;
        }
        out.notes.called = calls.map((c: any) => c?.function?.name);
        const declared = declaredTools(x);
        const unknown = calls.findIndex((c: any) => !declared.has(c?.function?.name));
        if (unknown >= 0) return `choices[0].message.tool_calls[${unknown}].function.name is ${show(calls[unknown]?.function?.name)}, not a declared tool`;
      },
    ],
  },
  {
    id: 'tools.auto',
    level: 'SHOULD',
    capability: 'tools',
    title: 'tool_choice "auto" calls the obvious tool',
    requirement: 'With tool_choice "auto" and a question only a tool can answer, the model "should call that tool".',
    fault: 'tools.auto-ignored',
    dependsOnModel: true,
    async run(ctx, out) {
      const x = await ctx.send(AUTO, { fresh: true });
      const refused = gate(x, ctx, 'tools');
      if (refused) return refused;
      const calls = messageOf(x)?.tool_calls;
      if (!Array.isArray(calls) || calls.length === 0) return `the model answered in text (${show(messageOf(x)?.content, 80)}) instead of calling get_weather`;
      out.notes.called = calls.map((c: any) => c?.function?.name);
      if (!calls.some((c: any) => c?.function?.name === 'get_weather')) return `the model called ${show(out.notes.called)}, not get_weather`;
    },
  },
  {
    id: 'tools.none',
    level: 'MUST',
    capability: 'tools',
    title: 'tool_choice "none" yields no tool call',
    requirement: 'With tool_choice "none", the model "must not call any tool" and answers with a message.',
    fault: 'tools.none-ignored',
    request: NONE,
    validate: [
      okJson,
      (x) => {
        const calls = messageOf(x)?.tool_calls;
        if (Array.isArray(calls) && calls.length > 0) return `choices[0].message.tool_calls has ${calls.length} call(s) (${show(calls.map((c: any) => c?.function?.name))}), although tool_choice was "none"`;
        const finish = firstChoice(x)?.finish_reason;
        if (finish === 'tool_calls') return 'choices[0].finish_reason is "tool_calls", although tool_choice was "none"';
      },
    ],
  },
  {
    id: 'tools.round-trip',
    level: 'MUST',
    capability: 'tools',
    title: 'A tool result sent back yields an assistant answer',
    requirement: 'An assistant message with tool_calls followed by a tool message with its tool_call_id "must be accepted and answered".',
    fault: 'tools.reject-tool-results',
    async run(ctx, out) {
      const first = await ctx.send(NAMED);
      const refused = gate(first, ctx, 'tools');
      if (refused) return refused;
      const got = toolCallsOf(first, 'tools.named.tool-calls');
      if ('skip' in got) return got;
      const call = got.calls[0];
      if (typeof call?.id !== 'string' || !call.id) return { skip: `prerequisite failed: the tool call has no id to answer (see tools.named.id)` };
      const body = {
        messages: [
          { role: 'user', content: WEATHER_PROMPT },
          { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.function?.name, arguments: call.function?.arguments } }] },
          { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ city: 'Paris', time: '14:05' }) },
        ],
        tools: [WEATHER_TOOL, TIME_TOOL],
        max_tokens: 64,
      };
      const x = await ctx.send({ body });
      const problem = followUp(x, 'the turn with the tool result');
      if (problem) return problem;
      const message = messageOf(x);
      if (!message) return `the answer to the tool result has no choices[0].message: ${show(x.json)}`;
      if (message.role !== 'assistant') return `the answer to the tool result has role ${show(message.role)}, not "assistant"`;
      const hasText = typeof message.content === 'string' && message.content !== '';
      const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
      if (!hasText && !hasCalls) return `the answer to the tool result is empty: content ${show(message.content)} and no tool_calls`;
      out.notes.answer = message.content ?? message.tool_calls;
    },
  },
  {
    id: 'tools.stream.index-on-every-fragment',
    level: 'MUST',
    capability: 'tools',
    title: 'Every streamed tool-call fragment has an integer index',
    requirement: 'Each element of delta.tool_calls "must carry the integer index of the call it belongs to".',
    fault: 'tools.stream.no-index',
    request: REQUIRED_STREAM,
    validate: [
      okStream,
      (x, _ctx, out) => {
        const choice = viewStream(x).choices.get(0);
        const fragments = choice?.toolFragments ?? [];
        if (fragments.length === 0) return cutBefore(x, 'a tool call') ?? 'the stream carried no delta.tool_calls for choice 0, although tool_choice was "required"';
        out.notes.fragments = fragments.length;
        const bad = fragments.find((f) => !Number.isInteger(f.index) || (f.index as number) < 0);
        if (bad) return `event ${bad.event}: a delta.tool_calls fragment has index ${show(bad.index)}, not a non-negative integer (fragment id ${show(bad.id)}, arguments ${show(bad.arguments, 60)})`;
      },
    ],
  },
  {
    id: 'tools.stream.first-fragment',
    level: 'MUST',
    capability: 'tools',
    title: 'The first fragment of each streamed call carries its id and function name',
    requirement: 'The first delta.tool_calls fragment of each index "must carry the call\'s id, type function and function.name".',
    fault: 'tools.stream.late-id',
    request: REQUIRED_STREAM,
    validate: [
      okStream,
      withStreamCalls('tools.stream.index-on-every-fragment', ({ calls }) => {
        let lenient: string | undefined;
        for (const call of calls) {
          const f = call.fragments[0];
          if (typeof f.id !== 'string' || f.id === '') return `event ${f.event}: the first fragment of tool call index ${call.index} has id ${show(f.id)}, not a non-empty string`;
          if (typeof f.name !== 'string' || f.name === '') return `event ${f.event}: the first fragment of tool call index ${call.index} has function.name ${show(f.name)}, not a non-empty string`;
          if (f.type !== undefined && f.type !== 'function') return `event ${f.event}: the first fragment of tool call index ${call.index} has type ${show(f.type)}, not "function"`;
          if (f.type === undefined) lenient ??= `the first fragment of tool call index ${call.index} (event ${f.event}) has no type "function"`;
        }
        if (lenient) return { lenient };
      }),
    ],
  },
  {
    id: 'tools.stream.id-stable',
    level: 'MUST',
    capability: 'tools',
    title: 'Later fragments do not change a streamed call\'s id or name',
    requirement: 'Fragments after the first of an index "must not carry a different id or function.name" (they omit them or repeat them).',
    fault: 'tools.stream.id-changes',
    request: REQUIRED_STREAM,
    validate: [
      okStream,
      withStreamCalls('tools.stream.index-on-every-fragment', ({ calls }) => {
        for (const call of calls) {
          if (typeof call.id !== 'string' || call.id === '' || typeof call.name !== 'string' || call.name === '') {
            return { skip: `prerequisite failed: the first fragment of tool call index ${call.index} has no id or name to keep (see tools.stream.first-fragment)` };
          }
          for (const f of call.fragments.slice(1)) {
            if (f.id !== undefined && f.id !== null && f.id !== '' && f.id !== call.id) {
              return `event ${f.event}: a later fragment of tool call index ${call.index} has id ${show(f.id)}, but the first had ${show(call.id)}`;
            }
            if (f.name !== undefined && f.name !== null && f.name !== '' && f.name !== call.name) {
              return `event ${f.event}: a later fragment of tool call index ${call.index} has function.name ${show(f.name)}, but the first had ${show(call.name)}`;
            }
          }
        }
      }),
    ],
  },
  {
    id: 'tools.stream.arguments-concatenate-to-json',
    level: 'MUST',
    capability: 'tools',
    title: 'Streamed argument fragments concatenate to a JSON object',
    requirement: 'The function.arguments fragments of one index, concatenated in order, "must form a JSON object".',
    fault: 'tools.stream.args-broken',
    request: REQUIRED_STREAM,
    validate: [
      okStream,
      withStreamCalls('tools.stream.index-on-every-fragment', ({ calls }, _x, out) => {
        for (const call of calls) {
          const nonString = call.fragments.find((f) => f.arguments !== undefined && f.arguments !== null && typeof f.arguments !== 'string');
          if (nonString) return `event ${nonString.event}: a fragment of tool call index ${call.index} has function.arguments ${show(nonString.arguments)}, not a string`;
          out.notes[`arguments[${call.index}]`] = call.arguments;
          const parsed = parseArguments(call.arguments);
          if ('problem' in parsed) return cutBefore(_x, 'the end of the arguments') ?? `tool call index ${call.index} (${call.fragments.length} fragments): the concatenated ${parsed.problem}`;
          if (!isObject(parsed.value)) return `tool call index ${call.index}: the concatenated arguments parse to ${show(parsed.value)}, not a JSON object`;
        }
      }),
    ],
  },
  {
    id: 'tools.stream.arguments-schema',
    level: 'SHOULD',
    capability: 'tools',
    title: 'Streamed arguments validate against the tool\'s parameters',
    requirement: 'The concatenated streamed arguments of a (non-strict) tool "should validate against the parameters schema of the called tool"; without strict the model chooses them, so it is a rate over REPEAT.',
    dependsOnModel: true,
    fault: 'tools.stream.args-schema-violation',
    request: REQUIRED_STREAM,
    validate: [
      okStream,
      withStreamCalls('tools.stream.index-on-every-fragment', ({ calls }, x, out) =>
        argumentsValidate(
          calls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })),
          x,
          out,
          (i) => `the concatenated arguments of streamed tool call index ${calls[i].index} (${calls[i].fragments.length} fragments)`,
        ),
      ),
    ],
  },
  {
    id: 'tools.stream.finish-reason',
    level: 'MUST',
    capability: 'tools',
    title: 'A streamed tool-call answer ends with finish_reason "tool_calls"',
    requirement: 'A streamed choice in which the model chose to call a tool (tool_choice "auto") "must end with exactly one finish_reason, tool_calls".',
    fault: 'tools.finish-reason-stop',
    request: AUTO_STREAM,
    validate: [
      okStream,
      (x) => {
        const choice = viewStream(x).choices.get(0);
        if (!choice || choice.toolFragments.length === 0) return { skip: 'the model streamed no tool call, so there is no tool-call finish_reason to judge (see tools.auto)' };
        if (choice.finishReasons.length === 0) return 'no chunk of choice 0 carried a finish_reason';
        if (choice.finishReasons.length > 1) return `choice 0 carried ${choice.finishReasons.length} finish_reasons: ${finishList(choice)}`;
        const f = choice.finishReasons[0];
        return finishIsToolCalls(f.value, `the finish_reason of choice 0 (event ${f.event})`);
      },
    ],
  },
  {
    id: 'tools.strict',
    level: 'MUST',
    capability: 'tools',
    title: 'strict: true is accepted and the arguments obey the schema exactly',
    requirement: 'A function declared with strict: true "must be accepted, and its arguments must match the schema exactly" (no extra properties); accepted but not enforced is IGNORED.',
    fault: 'tools.strict-ignored',
    async run(ctx, out) {
      const x = await ctx.send(STRICT);
      const refused = gate(x, ctx, 'tools');
      if (refused) return refused;
      const calls = messageOf(x)?.tool_calls;
      if (!Array.isArray(calls) || calls.length === 0) {
        const plain = await ctx.send(NAMED);
        const plainCalls = messageOf(plain)?.tool_calls;
        if (!Array.isArray(plainCalls) || plainCalls.length === 0) return { skip: 'prerequisite failed: a named tool_choice yields no tool call even without strict (see tools.named.tool-calls)' };
        return `with strict: true, choices[0].message.tool_calls is ${show(calls)}, although the same request without strict yields a call`;
      }
      const parsed = argumentsParse(calls);
      if (parsed) return cutBefore(x, 'the end of the arguments') ?? { skip: `prerequisite failed: ${parsed} (see tools.named.arguments-json)` };
      const invalid = argumentsValidate(calls, x, out);
      if (typeof invalid === 'string') return { ignored: `strict: true was accepted but not enforced: ${invalid}` };
      return invalid;
    },
  },
  {
    id: 'tools.many-tools',
    level: 'MUST',
    capability: 'tools',
    title: '128 tools are accepted',
    requirement: 'A request with 128 tools (OpenAI\'s limit) "must be accepted" and the named one called.',
    fault: 'tools.limit-64',
    async run(ctx, out) {
      const first = await ctx.send(NAMED);
      const refused = gate(first, ctx, 'tools');
      if (refused) return refused;
      const tools = Array.from({ length: 128 }, (_, i) => ({
        type: 'function',
        function: {
          name: `lookup_${String(i).padStart(3, '0')}`,
          description: `Look up record ${i}.`,
          parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], additionalProperties: false },
        },
      }));
      const x = await ctx.send({
        body: { messages: [{ role: 'user', content: 'Look up the record with key "alpha".' }], tools, tool_choice: named('lookup_077'), max_tokens: 128 },
      });
      const problem = followUp(x, 'a request with 128 tools');
      if (problem) return problem;
      const calls = messageOf(x)?.tool_calls;
      out.notes.called = Array.isArray(calls) ? calls.map((c: any) => c?.function?.name) : calls;
      if (!Array.isArray(calls) || calls.length === 0) {
        const few = messageOf(first)?.tool_calls;
        if (!Array.isArray(few) || few.length === 0) return { skip: 'prerequisite failed: a named tool_choice yields no tool call even with two tools (see tools.named.tool-calls)' };
        return `with 128 tools and tool_choice naming lookup_077, choices[0].message.tool_calls is ${show(calls)}, although the same kind of request with two tools yields a call`;
      }
    },
  },
  {
    id: 'tools.no-parameters',
    level: 'MUST',
    capability: 'tools',
    title: 'A tool without parameters is called with arguments "{}"',
    requirement: 'A tool declared without parameters "must be called with arguments holding an empty JSON object".',
    fault: 'tools.no-params-empty-string',
    request: { body: { messages: [{ role: 'user', content: 'What time is it on the server?' }], tools: [SERVER_TIME_TOOL], tool_choice: named('get_server_time'), max_tokens: 64 } },
    validate: [okJson, withCalls('tools.no-parameters', emptyArguments)],
  },
  {
    id: 'tools.empty-parameters',
    level: 'MUST',
    capability: 'tools',
    title: 'A tool with an empty object schema is called with arguments "{}"',
    requirement: 'A tool whose parameters are {"type":"object","properties":{}} "must be called with arguments holding an empty JSON object".',
    fault: 'tools.no-params-empty-string',
    request: { body: { messages: [{ role: 'user', content: 'Ping the service.' }], tools: [PING_TOOL], tool_choice: named('ping'), max_tokens: 64 } },
    validate: [okJson, withCalls('tools.empty-parameters', emptyArguments)],
  },
  {
    id: 'tools.prompt-tokens',
    level: 'SHOULD',
    capability: 'tools',
    title: 'Effect probe: declaring tools raises prompt_tokens',
    requirement: 'Tool definitions are part of the prompt: adding tools "should raise usage.prompt_tokens" (equal counts mean the tools were dropped).',
    fault: 'tools.dropped-silently',
    async run(ctx, out) {
      const plain = await ctx.send(NO_TOOLS);
      const refusedPlain = gate(plain, ctx, 'core');
      if (refusedPlain) return typeof refusedPlain === 'string' ? { skip: `the request without tools failed: ${refusedPlain}` } : refusedPlain;
      const withTools = await ctx.send(NONE);
      const refused = gate(withTools, ctx, 'tools');
      if (refused) return refused;
      const a = usageOf(plain)?.prompt_tokens;
      const b = usageOf(withTools)?.prompt_tokens;
      if (typeof a !== 'number' || typeof b !== 'number') return { skip: `usage.prompt_tokens is missing (${show(a)} without tools, ${show(b)} with tools), so the effect cannot be measured` };
      out.notes.promptTokens = { withoutTools: a, withTools: b };
      if (b <= a) return { ignored: `usage.prompt_tokens is ${b} with two tools declared (tool_choice "none") and ${a} without: the tool definitions were not counted, likely dropped` };
    },
  },
];

function emptyArguments(calls: Record<string, any>[]): Finding | undefined {
  const args = calls[0]?.function?.arguments;
  const parsed = parseArguments(args);
  if ('problem' in parsed) return `choices[0].message.tool_calls[0].function.${parsed.problem}; a tool without parameters takes "{}"`;
  if (!isObject(parsed.value)) return `choices[0].message.tool_calls[0].function.arguments parses to ${show(parsed.value)}, not an (empty) JSON object`;
  const keys = Object.keys(parsed.value);
  if (keys.length > 0) return { lenient: `the arguments of a tool without parameters carry keys ${show(keys)}; expected "{}"` };
}
