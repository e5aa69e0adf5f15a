// Function calling: forced calls (a named tool_choice) judged field by field, "required", "auto" and
// "none", the tool-result round trip, streamed fragments, strict mode, limits and an effect probe.
import { isObject } from '../../lib/json.ts';
import { firstChoice, messageOf, usageOf, declaredTools } from './support/completion.ts';
import { accepted, completion, cutBefore, given, parsedStream, prerequisite, sendAccepted, unanswered } from './support/gates.ts';
import { CALL_MARKUP, leakedMarkup } from './support/markup.ts';
import { messageField, param, schema as contract } from './support/refs.ts';
import { NAMED_TOOL, TIME_TOOL, WEATHER_PROMPT, WEATHER_TOOL, named, namedToolBody, requiredToolBody, withStrict } from './support/requests.ts';
import { streamChoice } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { answersToolResults, argumentsValid, asCall, assistantTurn, calledNames, callsIn, distinctIds, finishIsToolCalls, freshCalls, streamedCalls, toolCalls, type StreamedCalls } from './support/tool-calls.ts';
import { parseArguments } from './support/validators.ts';
import { checksOf, type CheckDeclaration, type Exchange, type Finding, type RequestSpec, type Validator, type ValidatorOutput } from './types.ts';

type Json = Record<string, any>;

const NAMED: RequestSpec = { body: namedToolBody() };
const REQUIRED_STREAM: RequestSpec = { body: requiredToolBody({ stream: true }) };
const AUTO_BODY = { messages: [{ role: 'user', content: `${WEATHER_PROMPT} Use the get_weather tool.` }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'auto', max_tokens: 256 };
const AUTO: RequestSpec = { body: AUTO_BODY };
const AUTO_STREAM: RequestSpec = { body: { ...AUTO_BODY, stream: true } };
const REQUIRED: RequestSpec = {
  body: { messages: [{ role: 'user', content: 'Say hello in five words.' }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'required', max_tokens: 256 },
};
const NONE: RequestSpec = { body: { messages: [{ role: 'user', content: WEATHER_PROMPT }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'none', max_tokens: 64 } };
const STRICT: RequestSpec = { body: namedToolBody({ tools: [withStrict(WEATHER_TOOL), withStrict(TIME_TOOL)] }) };
const NO_TOOLS: RequestSpec = { body: { messages: [{ role: 'user', content: WEATHER_PROMPT }], max_tokens: 64 } };

const SERVER_TIME_TOOL = { type: 'function', function: { name: 'get_server_time', description: 'Get the server time. Takes no arguments.' } };
const PING_TOOL = { type: 'function', function: { name: 'ping', description: 'Ping the service. Takes no arguments.', parameters: { type: 'object', properties: {} } } };

const TOOL_CHOICE = param('tool_choice');
const FRAGMENT = contract('tool-call-delta');
const CALLS = 'choices[0].message.tool_calls';

/** A judge of the streamed calls of a stream that completed (a SKIP when fragments cannot be merged). */
function streamed(judge: (got: StreamedCalls, x: Exchange, out: ValidatorOutput) => Finding | undefined): Validator[] {
  return parsedStream(given(streamedCalls('tools.stream.index-on-every-fragment'), judge));
}

/** arguments of every call parse as a JSON object. */
function argumentsParse(calls: Json[]): Finding | undefined {
  for (const [i, call] of calls.entries()) {
    const parsed = parseArguments(call?.function?.arguments);
    if ('problem' in parsed) return `${CALLS}[${i}].function.${parsed.problem}`;
    if (!isObject(parsed.value)) return `${CALLS}[${i}].function.arguments parses to ${show(parsed.value)}, not a JSON object`;
  }
}

const asCalls = (calls: Json[]) => calls.map((c) => ({ name: c?.function?.name, arguments: c?.function?.arguments }));

/** The first call of a tool without parameters has arguments "{}" (other keys hold leniently). */
function emptyArguments(calls: Json[]): Finding | undefined {
  const parsed = parseArguments(calls[0]?.function?.arguments);
  if ('problem' in parsed) return `${CALLS}[0].function.${parsed.problem}; a tool without parameters takes "{}"`;
  if (!isObject(parsed.value)) return `${CALLS}[0].function.arguments parses to ${show(parsed.value)}, not an (empty) JSON object`;
  const keys = Object.keys(parsed.value);
  if (keys.length > 0) return { lenient: `the arguments of a tool without parameters carry keys ${show(keys)}; expected "{}"` };
}

/** A forced call to a tool that takes no arguments. */
function noArgumentsRequest(prompt: string, tool: Json): RequestSpec {
  return { body: { messages: [{ role: 'user', content: prompt }], tools: [tool], tool_choice: named(tool.function.name), max_tokens: 64 } };
}

// Histories a server must take: tool-call turns as other providers and clients write them.
interface HistoryRow {
  id: string;
  fault: string;
  title: string;
  requirement: string;
  sent: [what: string, messages: Json[]][];
}

/** A tool-call turn and its result; `call` and `result` change what the row is about. */
function toolTurn(call: Json = {}, result: Json = {}): Json[] {
  const id = call.id ?? 'call_Jd8uWZ0o3tnlKQ7vFPe1ty4a';
  return [
    { role: 'user', content: WEATHER_PROMPT },
    { role: 'assistant', content: null, ...call, tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }] },
    { role: 'tool', tool_call_id: id, content: '{"city":"Paris","temperature":18,"unit":"celsius"}', ...result },
  ];
}

const HISTORIES: HistoryRow[] = [
  { id: 'tools.history.foreign-id', fault: 'tools.reject-foreign-id', title: 'A tool-call id from another provider is accepted in the history',
    requirement: 'A history whose tool call id is OpenAI-shaped ("call_" and 24 letters and digits) "must be accepted" by any server (vllm-project/vllm#9019): conversations move between providers.',
    sent: [['a history with the tool call id "call_Jd8uWZ0o3tnlKQ7vFPe1ty4a"', toolTurn()]] },
  { id: 'tools.history.empty-content', fault: 'tools.reject-empty-content', title: 'A tool-call turn with content "" or null is accepted',
    requirement: 'An assistant turn with tool_calls "must be accepted with content null and with content \"\"" (lmstudio-ai/lmstudio-bug-tracker#261): clients send either.',
    sent: [['a tool-call turn with content null', toolTurn({ content: null })], ['a tool-call turn with content ""', toolTurn({ content: '' })]] },
  { id: 'tools.history.content-parts', fault: 'core.reject-content-parts', title: 'A tool result given as text parts is accepted',
    requirement: 'A tool message whose content is an array of text parts "must be accepted", as in user messages (mudler/LocalAI#10552).',
    sent: [['a tool result given as text parts', toolTurn({}, { content: [{ type: 'text', text: '{"city":"Paris","temperature":18,"unit":"celsius"}' }] })]] },
];

function historyCheck({ sent, ...row }: HistoryRow): CheckDeclaration {
  const request = (messages: Json[]) => ({ body: { messages, tools: [WEATHER_TOOL, TIME_TOOL], max_tokens: 64 } });
  const base = { ...row, level: 'MUST' as const, ref: param('messages') };
  if (sent.length === 1) return { ...base, request: request(sent[0][1]), validate: [(x: Exchange) => unanswered(x, sent[0][0])] };
  return {
    ...base,
    async run(ctx) {
      for (const [what, messages] of sent) {
        const problem = unanswered(await ctx.send(request(messages)), what);
        if (problem) return problem;
      }
    },
  };
}

/** A tool whose parameters use $defs, $ref and anyOf, and a named call to it. */
const BOOK_FLIGHT = {
  type: 'function',
  function: {
    name: 'book_flight',
    description: 'Book a flight for one or more passengers.',
    parameters: {
      $defs: {
        airport: { type: 'string', description: 'A city or its IATA airport code' },
        passenger: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] } },
          required: ['name', 'age'],
          additionalProperties: false,
        },
      },
      type: 'object',
      properties: { from: { $ref: '#/$defs/airport' }, to: { $ref: '#/$defs/airport' }, passengers: { type: 'array', items: { $ref: '#/$defs/passenger' }, minItems: 1 } },
      required: ['from', 'to', 'passengers'],
      additionalProperties: false,
    },
  },
};
const BOOKING: RequestSpec = {
  body: { messages: [{ role: 'user', content: 'Book a flight from Paris to Tokyo for Ada, who is 36.' }], tools: [BOOK_FLIGHT], tool_choice: named('book_flight'), max_tokens: 256 },
};

export const toolChecks = checksOf('tools', [
  { id: 'tools.named.tool-calls', level: 'MUST', fault: 'tools.named-ignored', ref: TOOL_CHOICE,
    title: 'A named tool_choice yields tool_calls', requirement: 'With tool_choice naming a function, the answer "must carry that call in choices[0].message.tool_calls".',
    request: NAMED, validate: completion((x) => {
      const calls = messageOf(x)?.tool_calls;
      if (Array.isArray(calls) && calls.length > 0) return undefined;
      const cut = cutBefore(x, 'a tool call');
      if (cut) return cut;
      if (!Array.isArray(calls)) return `${CALLS} is ${show(calls)}, not an array, although tool_choice named ${NAMED_TOOL} (content: ${show(messageOf(x)?.content, 80)})`;
      return `${CALLS} is an empty array, although tool_choice named ${NAMED_TOOL}`;
    }),
  },
  { id: 'tools.finish-reason', level: 'MUST', fault: 'tools.finish-reason-stop', ref: contract('chat-completion', '/definitions/ChatCompletionChoice/properties/finish_reason'),
    title: 'A tool-call answer has finish_reason "tool_calls"', requirement: 'When the model chooses to call a tool (tool_choice "auto"), the choice "must end with finish_reason tool_calls".',
    request: AUTO, validate: completion((x) => {
      const calls = messageOf(x)?.tool_calls;
      if (!Array.isArray(calls) || calls.length === 0) return { skip: 'the model answered without a tool call, so there is no tool-call finish_reason to judge (see tools.auto)' };
      return finishIsToolCalls(firstChoice(x)?.finish_reason, 'choices[0].finish_reason');
    }),
  },
  { id: 'tools.named.finish-reason', level: 'SHOULD', fault: 'tools.finish-reason-stop', ref: TOOL_CHOICE,
    title: 'A forced tool call has finish_reason "tool_calls"', requirement: 'With tool_choice naming a function, the choice "should end with finish_reason tool_calls" (OpenAI itself sends "stop" here, so clients must not rely on it).',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (_calls, x) => finishIsToolCalls(firstChoice(x)?.finish_reason, 'choices[0].finish_reason'))),
  },
  { id: 'tools.named.id', level: 'MUST', fault: 'tools.empty-id', ref: contract('tool-call', '/properties/id'),
    title: 'Every tool call has a non-empty, unique id', requirement: 'Each tool call "must have a non-empty id, unique within the message", so that tool results can refer to it.',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (calls) => distinctIds(calls))),
  },
  { id: 'tools.named.type-function', level: 'MUST', fault: 'tools.wrong-type', ref: contract('tool-call', '/properties/type'),
    title: 'Every tool call has type "function" and a function object', requirement: 'Each tool call "must have type function and a function object with name and arguments".',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (calls) => {
      for (const [i, call] of calls.entries()) {
        if (call?.type !== 'function') return `${CALLS}[${i}].type is ${show(call?.type)}, not "function"`;
        if (!isObject(call.function)) return `${CALLS}[${i}].function is ${show(call.function)}, not an object`;
      }
    })),
  },
  { id: 'tools.named.function-name', level: 'MUST', fault: 'tools.named-as-auto', ref: TOOL_CHOICE,
    title: 'A named tool_choice calls exactly that function', requirement: 'With tool_choice naming a function, "the call must be to that function", by its exact name.',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (calls) => {
      const names = calls.map((c) => c?.function?.name);
      const wrong = names.findIndex((n) => n !== NAMED_TOOL);
      if (wrong < 0) return;
      const asAuto = names[wrong] === 'get_weather' ? ': the tool the question needs, as if tool_choice were "auto"' : '';
      return `${CALLS}[${wrong}].function.name is ${show(names[wrong])}, not "${NAMED_TOOL}" (named by tool_choice)${asAuto}`;
    })),
  },
  { id: 'tools.named.arguments-json', level: 'MUST', fault: 'tools.args-not-json', ref: contract('tool-call', '/properties/function'),
    title: 'function.arguments is a JSON string that parses to an object', requirement: 'function.arguments "must be a string holding a JSON object".',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (calls, x) => argumentsParse(calls) && (cutBefore(x, 'the end of the arguments') ?? argumentsParse(calls)))),
  },
  { id: 'tools.named.arguments-schema', level: 'SHOULD', fault: 'tools.args-schema-violation', ref: param('tools'), dependsOnModel: true,
    title: 'function.arguments validates against the tool\'s parameters', requirement: 'The parsed arguments of a (non-strict) tool "should validate against the JSON Schema the tool declared as parameters"; without strict the model chooses them, so it is a rate over REPEAT.',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (calls, x, out) => argumentsValid(asCalls(calls), x, out, (i) => `${CALLS}[${i}]`, 'tools.named.arguments-json'))),
  },
  { id: 'tools.named.content-null', level: 'SHOULD', fault: 'tools.content-with-calls', ref: contract('chat-completion', '/definitions/ChatCompletionMessage/properties/content'),
    title: 'A tool-call message has content null (or empty)', requirement: 'A message that carries tool calls "should have content null", as OpenAI sends it.',
    request: NAMED, validate: completion(given(toolCalls('tools.named.tool-calls'), (_calls, x) => {
      const content = messageOf(x)?.content;
      if (content !== null && content !== undefined && content !== '') return `choices[0].message.content is ${show(content, 80)} alongside tool_calls, not null`;
    })),
  },
  { id: 'tools.required', level: 'MUST', fault: 'tools.required-ignored', ref: TOOL_CHOICE,
    title: 'tool_choice "required" yields a tool call', requirement: 'With tool_choice "required", the model "must call one or more tools".',
    request: REQUIRED, validate: completion((x, _ctx, out) => {
      const calls = messageOf(x)?.tool_calls;
      if (!Array.isArray(calls) || calls.length === 0) {
        return cutBefore(x, 'a tool call') ?? `${CALLS} is ${show(calls)}, although tool_choice was "required" (content: ${show(messageOf(x)?.content, 80)})`;
      }
      out.notes.called = calls.map((c: any) => c?.function?.name);
      const declared = declaredTools(x);
      const unknown = calls.findIndex((c: any) => !declared.has(c?.function?.name));
      if (unknown >= 0) return `${CALLS}[${unknown}].function.name is ${show(calls[unknown]?.function?.name)}, not a declared tool`;
    }),
  },
  { id: 'tools.auto', level: 'SHOULD', fault: 'tools.auto-ignored', ref: TOOL_CHOICE, dependsOnModel: true,
    title: 'tool_choice "auto" calls the obvious tool', requirement: 'With tool_choice "auto" and a question only a tool can answer, the model "should call that tool".',
    async run(ctx, out) {
      const got = await freshCalls(ctx, AUTO, 'tools', out);
      if ('finding' in got) return got.finding;
      const { x, names } = got;
      if (names.length === 0) return `the model answered in text (${show(messageOf(x)?.content, 80)}) instead of calling get_weather`;
      if (!names.includes('get_weather')) return `the model called ${show(names)}, not get_weather`;
    },
  },
  { id: 'tools.none', level: 'MUST', fault: 'tools.none-ignored', ref: TOOL_CHOICE,
    title: 'tool_choice "none" yields no tool call', requirement: 'With tool_choice "none", the model "must not call any tool" and answers with a message.',
    request: NONE, validate: completion((x) => {
      const calls = messageOf(x)?.tool_calls;
      if (Array.isArray(calls) && calls.length > 0) return `${CALLS} has ${calls.length} call(s) (${show(calls.map((c: any) => c?.function?.name))}), although tool_choice was "none"`;
      if (firstChoice(x)?.finish_reason === 'tool_calls') return 'choices[0].finish_reason is "tool_calls", although tool_choice was "none"';
    }),
  },
  { id: 'tools.round-trip', level: 'MUST', fault: 'tools.reject-tool-results', ref: param('messages'),
    title: 'A tool result sent back yields an assistant answer', requirement: 'An assistant message with tool_calls followed by a tool message with its tool_call_id "must be accepted and answered".',
    async run(ctx, out) {
      const first = await ctx.send(NAMED);
      const got = accepted(first, ctx, 'tools') ?? toolCalls('tools.named.tool-calls')(first);
      if (!Array.isArray(got)) return got;
      const call = got[0];
      if (typeof call?.id !== 'string' || !call.id) return prerequisite('the tool call has no id to answer', 'tools.named.id');
      const messages = [{ role: 'user', content: WEATHER_PROMPT }, assistantTurn([call]), { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ city: 'Paris', time: '14:05' }) }];
      const x = await ctx.send({ body: { messages, tools: [WEATHER_TOOL, TIME_TOOL], max_tokens: 64 } });
      return unanswered(x, 'the turn with the tool result') ?? answersToolResults(x, 'the tool result', out);
    },
  },
  { id: 'tools.stream.index-on-every-fragment', level: 'MUST', fault: 'tools.stream.no-index', ref: contract('tool-call-delta', '/properties/index'),
    title: 'Every streamed tool-call fragment has an integer index', requirement: 'Each element of delta.tool_calls "must carry the integer index of the call it belongs to".',
    request: REQUIRED_STREAM, validate: parsedStream((x, _ctx, out) => {
      const fragments = streamChoice(x)?.toolFragments ?? [];
      if (fragments.length === 0) return cutBefore(x, 'a tool call') ?? 'the stream carried no delta.tool_calls for choice 0, although tool_choice was "required"';
      out.notes.fragments = fragments.length;
      const bad = fragments.find((f) => !Number.isInteger(f.index) || (f.index as number) < 0);
      if (bad) return `event ${bad.event}: a delta.tool_calls fragment has index ${show(bad.index)}, not a non-negative integer (fragment id ${show(bad.id)}, arguments ${show(bad.arguments, 60)})`;
    }),
  },
  { id: 'tools.stream.first-fragment', level: 'MUST', fault: 'tools.stream.late-id', ref: FRAGMENT,
    title: 'The first fragment of each streamed call carries its id and function name', requirement: 'The first delta.tool_calls fragment of each index "must carry the call\'s id, type function and function.name".',
    request: REQUIRED_STREAM, validate: streamed(({ calls }) => {
      let lenient: string | undefined;
      for (const call of calls) {
        const f = call.fragments[0];
        const which = `event ${f.event}: the first fragment of tool call index ${call.index} has`;
        if (typeof f.id !== 'string' || f.id === '') return `${which} id ${show(f.id)}, not a non-empty string`;
        if (typeof f.name !== 'string' || f.name === '') return `${which} function.name ${show(f.name)}, not a non-empty string`;
        if (f.type !== undefined && f.type !== 'function') return `${which} type ${show(f.type)}, not "function"`;
        if (f.type === undefined) lenient ??= `the first fragment of tool call index ${call.index} (event ${f.event}) has no type "function"`;
      }
      if (lenient) return { lenient };
    }),
  },
  { id: 'tools.stream.id-stable', level: 'MUST', fault: 'tools.stream.name-repeated', ref: FRAGMENT,
    title: 'Later fragments of a streamed call carry no id or name', requirement: 'Fragments after the first of an index "must not carry the id or function.name again" (absent, null or empty): clients that concatenate what arrives build "get_weatherget_weather" (NousResearch/hermes-agent#8259).',
    request: REQUIRED_STREAM, validate: streamed(({ calls }) => {
      const given = (v: unknown) => v !== undefined && v !== null && v !== '';
      for (const call of calls) {
        const [first, ...later] = call.fragments;
        if (!given(first.id) || !given(first.name)) return prerequisite(`the first fragment of tool call index ${call.index} has no id or name`, 'tools.stream.first-fragment');
        for (const f of later) {
          const repeated = [given(f.id) && `id ${show(f.id)}`, given(f.name) && `function.name ${show(f.name)}`].filter(Boolean).join(' and ');
          if (!repeated) continue;
          const changed = (given(f.id) && f.id !== first.id) || (given(f.name) && f.name !== first.name) ? ', different from the first fragment\'s' : ' again';
          return `event ${f.event}: a later fragment of tool call index ${call.index} carries ${repeated}${changed} (the first had id ${show(first.id)}, name ${show(first.name)})`;
        }
      }
    }),
  },
  { id: 'tools.stream.arguments-concatenate-to-json', level: 'MUST', fault: 'tools.stream.args-broken', ref: contract('tool-call-delta', '/properties/function/properties/arguments'),
    title: 'Streamed argument fragments concatenate to a JSON object', requirement: 'The function.arguments fragments of one index, concatenated in order, "must form a JSON object".',
    request: REQUIRED_STREAM, validate: streamed(({ calls }, x, out) => {
      for (const call of calls) {
        const nonString = call.fragments.find((f) => f.arguments !== undefined && f.arguments !== null && typeof f.arguments !== 'string');
        if (nonString) return `event ${nonString.event}: a fragment of tool call index ${call.index} has function.arguments ${show(nonString.arguments)}, not a string`;
        out.notes[`arguments[${call.index}]`] = call.arguments;
        const parsed = parseArguments(call.arguments);
        if ('problem' in parsed) return cutBefore(x, 'the end of the arguments') ?? `tool call index ${call.index} (${call.fragments.length} fragments): the concatenated ${parsed.problem}`;
        if (!isObject(parsed.value)) return `tool call index ${call.index}: the concatenated arguments parse to ${show(parsed.value)}, not a JSON object`;
      }
    }),
  },
  { id: 'tools.stream.arguments-schema', level: 'SHOULD', fault: 'tools.stream.args-schema-violation', ref: param('tools'), dependsOnModel: true,
    title: 'Streamed arguments validate against the tool\'s parameters', requirement: 'The concatenated streamed arguments of a (non-strict) tool "should validate against the parameters schema of the called tool"; without strict the model chooses them, so it is a rate over REPEAT.',
    request: REQUIRED_STREAM, validate: streamed(({ calls }, x, out) =>
      argumentsValid(calls.map(asCall), x, out, (i) => `streamed tool call index ${calls[i].index} (${calls[i].fragments.length} fragments)`, 'tools.stream.arguments-concatenate-to-json'),
    ),
  },
  { id: 'tools.stream.finish-reason', level: 'MUST', fault: 'tools.finish-reason-stop', ref: contract('chat-completion-chunk', '/definitions/ChatCompletionChunkChoice/properties/finish_reason'),
    title: 'A streamed tool-call answer ends with finish_reason "tool_calls"', requirement: 'A streamed choice in which the model chose to call a tool (tool_choice "auto") "must end with exactly one finish_reason, tool_calls".',
    request: AUTO_STREAM, validate: parsedStream((x) => {
      const choice = streamChoice(x);
      if (!choice || choice.toolFragments.length === 0) return { skip: 'the model streamed no tool call, so there is no tool-call finish_reason to judge (see tools.auto)' };
      const [first, ...more] = choice.finishReasons;
      if (!first) return 'no chunk of choice 0 carried a finish_reason';
      if (more.length > 0) return `choice 0 carried ${choice.finishReasons.length} finish_reasons: ${show(choice.finishReasons.map((f) => f.value))}`;
      return finishIsToolCalls(first.value, `the finish_reason of choice 0 (event ${first.event})`);
    }),
  },
  { id: 'tools.strict', level: 'MUST', fault: 'tools.strict-ignored', ref: param('tools'),
    title: 'strict: true is accepted and the arguments obey the schema exactly', requirement: 'A function declared with strict: true "must be accepted, and its arguments must match the schema exactly" (no extra properties); accepted but not enforced is IGNORED.',
    async run(ctx, out) {
      const got = await sendAccepted(ctx, STRICT, 'tools');
      if ('finding' in got) return got.finding;
      const { x } = got;
      const calls = callsIn(x);
      if (calls.length === 0) {
        if (callsIn(await ctx.send(NAMED)).length === 0) return prerequisite('a named tool_choice yields no tool call even without strict', 'tools.named.tool-calls');
        return `with strict: true, ${CALLS} is ${show(messageOf(x)?.tool_calls)}, although the same request without strict yields a call`;
      }
      const parsed = argumentsParse(calls);
      if (parsed) return cutBefore(x, 'the end of the arguments') ?? prerequisite(String(parsed), 'tools.named.arguments-json');
      const invalid = argumentsValid(asCalls(calls), x, out, (i) => `${CALLS}[${i}]`, 'tools.named.arguments-json');
      return typeof invalid === 'string' ? { ignored: `strict: true was accepted but not enforced: ${invalid}` } : invalid;
    },
  },
  { id: 'tools.many-tools', level: 'MUST', fault: 'tools.limit-64', ref: param('tools'),
    title: '128 tools are accepted', requirement: 'A request with 128 tools (OpenAI\'s limit) "must be accepted" and the named one called.',
    async run(ctx, out) {
      const first = await sendAccepted(ctx, NAMED, 'tools');
      if ('finding' in first) return first.finding;
      const tools = Array.from({ length: 128 }, (_, i) => ({
        type: 'function',
        function: {
          name: `lookup_${String(i).padStart(3, '0')}`,
          description: `Look up record ${i}.`,
          parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], additionalProperties: false },
        },
      }));
      const x = await ctx.send({ body: { messages: [{ role: 'user', content: 'Look up the record with key "alpha".' }], tools, tool_choice: named('lookup_077'), max_tokens: 128 } });
      const problem = unanswered(x, 'a request with 128 tools');
      if (problem) return problem;
      const calls = messageOf(x)?.tool_calls;
      out.notes.called = Array.isArray(calls) ? calledNames(calls) : calls;
      if (Array.isArray(calls) && calls.length > 0) return;
      if (callsIn(first.x).length === 0) return prerequisite('a named tool_choice yields no tool call even with two tools', 'tools.named.tool-calls');
      return `with 128 tools and tool_choice naming lookup_077, ${CALLS} is ${show(calls)}, although the same kind of request with two tools yields a call`;
    },
  },
  { id: 'tools.no-parameters', level: 'MUST', fault: 'tools.no-params-empty-string', ref: param('tools'),
    title: 'A tool without parameters is called with arguments "{}"', requirement: 'A tool declared without parameters "must be called with arguments holding an empty JSON object".',
    request: noArgumentsRequest('What time is it on the server?', SERVER_TIME_TOOL), validate: completion(given(toolCalls('tools.no-parameters'), emptyArguments)),
  },
  { id: 'tools.empty-parameters', level: 'MUST', fault: 'tools.no-params-empty-string', ref: param('tools'),
    title: 'A tool with an empty object schema is called with arguments "{}"', requirement: 'A tool whose parameters are {"type":"object","properties":{}} "must be called with arguments holding an empty JSON object".',
    request: noArgumentsRequest('Ping the service.', PING_TOOL), validate: completion(given(toolCalls('tools.empty-parameters'), emptyArguments)),
  },
  { id: 'tools.prompt-tokens', level: 'SHOULD', fault: 'tools.dropped-silently', ref: contract('usage', '/properties/prompt_tokens'),
    title: 'Effect probe: declaring tools raises prompt_tokens', requirement: 'Tool definitions are part of the prompt: adding tools "should raise usage.prompt_tokens" (equal counts mean the tools were dropped).',
    async run(ctx, out) {
      const plain = await sendAccepted(ctx, NO_TOOLS, 'core');
      if ('finding' in plain) return typeof plain.finding === 'string' ? { skip: `the request without tools failed: ${plain.finding}` } : plain.finding;
      const withTools = await sendAccepted(ctx, NONE, 'tools');
      if ('finding' in withTools) return withTools.finding;
      const a = usageOf(plain.x)?.prompt_tokens;
      const b = usageOf(withTools.x)?.prompt_tokens;
      if (typeof a !== 'number' || typeof b !== 'number') return { skip: `usage.prompt_tokens is missing (${show(a)} without tools, ${show(b)} with tools), so the effect cannot be measured` };
      out.notes.promptTokens = { withoutTools: a, withTools: b };
      if (b <= a) return { ignored: `usage.prompt_tokens is ${b} with two tools declared (tool_choice "none") and ${a} without: the tool definitions were not counted, likely dropped` };
    },
  },
  { id: 'tools.content.no-call-markup', level: 'MUST', fault: 'tools.leak-call-markup', ref: messageField('content'),
    title: 'No raw tool-call markup in the answer text', requirement: 'With tools declared, message.content "must not carry the template\'s raw tool-call markup" (<tool_call>, [TOOL_CALLS], <function=, …): a call the server did not parse is lost to the client (ollama/ollama#3759).',
    request: AUTO, validate: completion((x) => {
      const content = messageOf(x)?.content;
      const leaked = leakedMarkup(content, CALL_MARKUP);
      if (leaked) return `choices[0].message.content carries the raw tool-call markup ${show(leaked)} (tool_calls: ${show(messageOf(x)?.tool_calls)}): ${show(content, 160)}`;
    }),
  },
  ...HISTORIES.map(historyCheck),
  { id: 'tools.complex-schema.accepted', level: 'MUST', fault: 'tools.reject-refs', ref: param('tools'),
    title: 'A tool whose parameters use $defs, $ref and anyOf is accepted', requirement: 'A tool whose parameters schema uses $defs with $ref, and anyOf, "must be accepted" and the named call made (huggingface/text-generation-inference#2876).',
    request: BOOKING, validate: completion(given(toolCalls('tools.complex-schema.accepted'), () => undefined)),
  },
  { id: 'tools.complex-schema.obeyed', level: 'SHOULD', fault: 'tools.refs-ignored', ref: param('tools'), dependsOnModel: true,
    title: 'Arguments obey a parameters schema with $defs, $ref and anyOf', requirement: 'The arguments of a call to a tool whose schema uses $defs, $ref and anyOf "should validate against it", required properties included; without strict the model chooses, so it is a rate over REPEAT.',
    request: BOOKING, validate: completion(given(toolCalls('tools.complex-schema.accepted'), (calls, x, out) => {
      const parsed = argumentsParse(calls);
      if (parsed) return cutBefore(x, 'the end of the arguments') ?? prerequisite(String(parsed), 'tools.named.arguments-json');
      return argumentsValid(asCalls(calls), x, out, (i) => `${CALLS}[${i}]`, 'tools.named.arguments-json');
    })),
  },
]);
