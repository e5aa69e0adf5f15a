// Faults for suites/checks/tools.ts: named, required, auto and none tool_choice ignored, tool calls
// of the wrong shape (non-stream and streamed fragments), strict not enforced, limits, dropped tools.
import type { FaultContext } from '../../types.ts';
import {
  byCallIndex,
  choicesIn,
  dropLastKey,
  fragments,
  isObject,
  isStream,
  onCalls,
  onChunks,
  parseObject,
  refuseWhen,
  rewriteArguments,
  singleCall,
  toolByName,
  toolsOf,
  without,
  type ContractFault,
  type FragmentRef,
  type Json,
} from './helpers.ts';

/** A tool_choice naming a declared function (non-stream) is treated as `as`. */
function namedChoiceAs(as: 'none' | 'auto'): ContractFault['request'] {
  return (req, ctx) => (isObject(req.tool_choice) && toolByName(req, req.tool_choice.function?.name) && !isStream(req, ctx) ? { ...req, tool_choice: as } : req);
}

/** tool_choice `from` (with tools declared) is treated as `to`. */
function choiceAs(from: string, to: string): ContractFault['request'] {
  return (req) => (req.tool_choice === from && toolsOf(req).length > 0 ? { ...req, tool_choice: to } : req);
}

/** An events hook that edits the fragments of the only streamed call (a stream with several is left alone). */
function onSingleCall(edit: (refs: FragmentRef[], ctx: FaultContext) => void): ContractFault['events'] {
  return (events, ctx) =>
    onChunks(events, (chunks) => {
      const refs = singleCall(chunks);
      if (refs) edit(refs, ctx);
    });
}

/** One more fragment of the call of `ref`, in the same chunk, carrying only `fields`. */
function extraFragment(ref: FragmentRef, fields: Json): void {
  ref.chunk.choices.push({ index: ref.choice.index ?? 0, delta: { tool_calls: [{ index: ref.fragment.index ?? 0, ...fields }] }, finish_reason: null });
}

export const toolsFaults: ContractFault[] = [
  {
    id: 'tools.named-ignored',
    description: 'A named tool_choice is treated as "none" (non-stream): the model answers in text instead of calling the function.',
    request: namedChoiceAs('none'),
  },
  {
    id: 'tools.finish-reason-stop',
    description: 'A message that carries tool calls ends with finish_reason "stop" instead of "tool_calls" (stream and non-stream).',
    completion: (c) => onCalls(c, (n) => n > 0, (_calls, _m, choice) => (choice.finish_reason = 'stop')),
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const c of choicesIn(chunks)) if (c.finish_reason === 'tool_calls') c.finish_reason = 'stop';
      }),
  },
  {
    id: 'tools.empty-id',
    description: 'Tool calls come back with an empty id (non-stream).',
    alsoBreaks: ['parallel-tools.distinct-ids'],
    completion: (c) => onCalls(c, (n) => n > 0, (calls) => calls.forEach((call) => (call.id = ''))),
  },
  {
    id: 'tools.wrong-type',
    description: 'Tool calls come back with type "tool" instead of "function" (non-stream).',
    completion: (c) => onCalls(c, (n) => n > 0, (calls) => calls.forEach((call) => (call.type = 'tool'))),
  },
  {
    id: 'tools.named-as-auto',
    description: 'A named tool_choice is treated as "auto" (non-stream): the call goes to the tool the question mentions, not to the one named.',
    alsoBreaks: ['tools.many-tools'],
    request: namedChoiceAs('auto'),
  },
  {
    id: 'tools.args-not-json',
    description: 'A single tool call\'s arguments lose their closing brace, so they are not JSON (non-stream, arguments with properties).',
    completion: (c) =>
      onCalls(c, (n) => n === 1, (calls) => {
        const args = calls[0].function?.arguments;
        if (typeof args === 'string' && args.length > 2) calls[0].function.arguments = args.slice(0, -1);
      }),
  },
  {
    id: 'tools.args-schema-violation',
    description: 'A single call to a non-strict tool misses a required argument (its last property is dropped) (non-stream).',
    completion: (c, ctx) =>
      onCalls(c, (n) => n === 1, (calls) => {
        const call = calls[0];
        if (toolByName(ctx.request, call.function?.name)?.strict === true) return;
        const args = parseObject(call.function?.arguments);
        if (args && Object.keys(args).length > 0) call.function.arguments = JSON.stringify(dropLastKey(args));
      }),
  },
  {
    id: 'tools.content-with-calls',
    description: 'A message with tool calls also carries text content (non-stream).',
    completion: (c) => onCalls(c, (n) => n > 0, (_calls, message) => (message.content = 'Let me look that up for you.')),
  },
  {
    id: 'tools.required-ignored',
    description: 'tool_choice "required" is treated as "auto": a prompt that mentions no tool gets a text answer.',
    request: choiceAs('required', 'auto'),
  },
  {
    id: 'tools.auto-ignored',
    description: 'An explicit tool_choice "auto" is treated as "none": the model never calls a tool.',
    request: choiceAs('auto', 'none'),
  },
  {
    id: 'tools.none-ignored',
    description: 'tool_choice "none" is treated as "auto": a prompt that mentions a tool gets a tool call.',
    request: choiceAs('none', 'auto'),
  },
  {
    id: 'tools.reject-tool-results',
    description: 'A conversation with a tool message (a tool result) is refused with a 400.',
    alsoBreaks: ['parallel-tools.round-trip', 'tools.history.foreign-id', 'tools.history.empty-content', 'tools.history.content-parts'],
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.some((m: unknown) => isObject(m) && m.role === 'tool'),
      "Invalid value for 'messages': messages with role 'tool' are not supported.",
      'messages',
    ),
  },
  {
    id: 'tools.stream.no-index',
    description: 'Streamed delta.tool_calls fragments carry no index.',
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const ref of fragments(chunks)) delete ref.fragment.index;
      }),
  },
  {
    id: 'tools.stream.late-id',
    description: 'A single streamed call\'s id arrives on its second fragment instead of its first.',
    events: onSingleCall((refs) => {
      const id = refs[0].fragment.id;
      delete refs[0].fragment.id;
      if (refs.length > 1) refs[1].fragment.id = id;
      else extraFragment(refs[0], { id });
    }),
  },
  {
    id: 'tools.stream.name-repeated',
    description: 'Every streamed tool-call fragment repeats the call\'s id and function.name, not only the first (clients that concatenate build "get_weatherget_weather").',
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const refs of byCallIndex(fragments(chunks)).values()) {
          const { id, function: fn } = refs[0].fragment;
          for (const ref of refs.slice(1)) {
            ref.fragment.id = id;
            ref.fragment.type = 'function';
            ref.fragment.function = { ...ref.fragment.function, name: fn?.name };
          }
        }
      }),
  },
  {
    id: 'tools.stream.args-broken',
    description: 'A single streamed call\'s argument fragments lose the closing brace, so they concatenate to invalid JSON.',
    events: onSingleCall((refs) => rewriteArguments(refs, (args) => (args.length > 2 ? args.slice(0, -1) : args))),
  },
  {
    id: 'tools.stream.args-schema-violation',
    description: 'A single streamed call to a non-strict tool misses a required argument (its last property is dropped).',
    events: onSingleCall((refs, ctx) => {
      if (toolByName(ctx.request, refs[0].fragment.function?.name)?.strict === true) return;
      rewriteArguments(refs, (args) => {
        const parsed = parseObject(args);
        return parsed && Object.keys(parsed).length > 0 ? JSON.stringify(dropLastKey(parsed)) : args;
      });
    }),
  },
  {
    id: 'tools.strict-ignored',
    description: 'strict: true is accepted but not enforced: calls to strict tools carry an extra, undeclared argument (non-stream).',
    completion: (c, ctx) =>
      onCalls(c, (n) => n > 0, (calls) => {
        for (const call of calls) {
          if (toolByName(ctx.request, call.function?.name)?.strict !== true) continue;
          const args = parseObject(call.function?.arguments);
          if (args) call.function.arguments = JSON.stringify({ ...args, note: 'an undeclared property' });
        }
      }),
  },
  {
    id: 'tools.limit-64',
    description: 'Requests with more than 64 tools are refused with a 400.',
    validate: refuseWhen((req) => toolsOf(req).length > 64, "Invalid 'tools': array too long. Expected an array with maximum length 64.", 'tools', 'array_above_max_length'),
  },
  {
    id: 'tools.no-params-empty-string',
    description: 'A call to a tool without parameters (absent, or an object schema without properties) has arguments "" instead of "{}" (non-stream).',
    completion: (c, ctx) =>
      onCalls(c, (n) => n > 0, (calls) => {
        for (const call of calls) {
          const params = toolByName(ctx.request, call.function?.name)?.parameters;
          if (!isObject(params) || !isObject(params.properties) || Object.keys(params.properties).length === 0) call.function.arguments = '';
        }
      }),
  },
  {
    id: 'tools.dropped-silently',
    description: 'With tool_choice "none", the tools are dropped from the prompt (prompt_tokens do not count them).',
    request: (req) => (req.tool_choice !== 'none' || toolsOf(req).length === 0 ? req : without(without(req, 'tools'), 'tool_choice')),
  },

  {
    id: 'tools.leak-call-markup',
    description: 'With tool_choice "auto" (non-stream), the call is left unparsed in the content as the template\'s <tool_call> markup, and tool_calls is empty.',
    completion: (c, ctx) =>
      ctx.request?.tool_choice === 'auto'
        ? onCalls(c, (n) => n > 0, (calls, message, choice) => {
            message.content = calls.map((call) => `<tool_call>\n{"name": "${call.function?.name}", "arguments": ${call.function?.arguments}}\n</tool_call>`).join('\n');
            delete message.tool_calls;
            choice.finish_reason = 'stop';
          })
        : c,
  },
  {
    id: 'tools.reject-foreign-id',
    description: 'A history whose tool call id is not 9 letters and digits is refused with 400 (a Mistral chat template\'s rule, so every OpenAI-shaped id fails).',
    alsoBreaks: ['tools.round-trip', 'tools.history.empty-content', 'tools.history.content-parts'],
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.some((m: unknown) => isObject(m) && Array.isArray(m.tool_calls) && m.tool_calls.some((t: unknown) => isObject(t) && !/^[A-Za-z0-9]{9}$/.test(String(t.id)))),
      'Tool call id was call_Jd8uWZ0o3tnlKQ7vFPe1ty4a but must be a-z, A-Z, 0-9, with a length of 9.',
      'messages',
    ),
  },
  {
    id: 'tools.reject-empty-content',
    description: 'An assistant turn with tool_calls and content "" is refused with 400 (only null is taken).',
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.some((m: unknown) => isObject(m) && m.role === 'assistant' && Array.isArray(m.tool_calls) && m.content === ''),
      "Invalid 'messages': an assistant message with tool_calls must have content null.",
      'messages',
    ),
  },
  {
    id: 'tools.reject-refs',
    description: 'A tool whose parameters use $ref or $defs is refused with 400 (a grammar builder that cannot resolve references).',
    validate: refuseWhen((req) => toolsOf(req).some((t) => /"\$(ref|defs)"/.test(JSON.stringify(t.function?.parameters ?? {}))), 'Unsupported JSON schema: $ref is not supported in function parameters.', 'tools'),
  },
  {
    id: 'tools.refs-ignored',
    description: 'For a tool whose parameters use $ref, the referenced parts are ignored: the arguments lose their last required property (non-stream).',
    completion: (c, ctx) =>
      toolsOf(ctx.request).some((t) => JSON.stringify(t.function?.parameters ?? {}).includes('"$ref"'))
        ? onCalls(c, (n) => n > 0, (calls) => {
            for (const call of calls) {
              const args = parseObject(call.function?.arguments);
              if (args) call.function.arguments = JSON.stringify(dropLastKey(args));
            }
          })
        : c,
  },
];
