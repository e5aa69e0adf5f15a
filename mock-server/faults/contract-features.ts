// Check-specific faults for the feature checks (reasoning, tools, parallel-tools, vision,
// structured-output, logprobs, n, seed, equivalence). Each is one precise deviation, scoped to the
// requests that exercise it, so that it fails the check(s) it proves and nothing unrelated.
// Hooks are pure: they return changed copies.
import { isReasoner } from '../models.ts';
import type { ChatRequest, Chunk, Completion, Fault, FaultContext, StreamEvent } from '../types.ts';
import { isObject } from '../../lib/json.ts';

type Json = Record<string, any>;


function copy<T>(value: T): T {
  return structuredClone(value);
}

/** A 400 with the OpenAI error envelope. */
function refuse(message: string, param: string | null, code: string | null = 'invalid_value') {
  return { status: 400, body: { error: { message, type: 'invalid_request_error', param, code } } };
}

/** Keep the engine's own refusal; otherwise refuse when `when` holds. */
function refuseWhen(when: (req: ChatRequest, ctx: FaultContext) => boolean, message: string, param: string | null, code?: string): Fault['validate'] {
  return (ctx, verdict) => verdict ?? (isObject(ctx.request) && when(ctx.request, ctx) ? refuse(message, param, code) : null);
}

// ---------------------------------------------------------------------------------------------
// request predicates

function toolsOf(req: ChatRequest): Json[] {
  return Array.isArray(req?.tools) ? req.tools.filter(isObject) : [];
}

function toolByName(req: ChatRequest, name: unknown): Json | undefined {
  return toolsOf(req).find((t) => t.function?.name === name)?.function;
}

function isStream(req: ChatRequest, ctx: FaultContext): boolean {
  return ctx.stream ?? req?.stream === true;
}

function formatType(req: ChatRequest): string | undefined {
  return isObject(req?.response_format) ? req.response_format.type : undefined;
}

function schemaStrict(req: ChatRequest): boolean {
  return req?.response_format?.json_schema?.strict === true;
}

function imageParts(req: ChatRequest): Json[][] {
  const out: Json[][] = [];
  for (const m of Array.isArray(req?.messages) ? req.messages : []) {
    if (!isObject(m) || !Array.isArray(m.content)) continue;
    out.push(m.content.filter((p: unknown) => isObject(p) && p.type === 'image_url'));
  }
  return out;
}

function hasImage(req: ChatRequest): boolean {
  return imageParts(req).some((parts) => parts.length > 0);
}

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*$/i;

/** An image part the engine would accept (a base64 data URL), so dropping it never hides a validation error. */
function isWellFormedImage(part: unknown): boolean {
  return isObject(part) && part.type === 'image_url' && isObject(part.image_url) && typeof part.image_url.url === 'string' && DATA_IMAGE.test(part.image_url.url);
}

function hasSeed(req: ChatRequest): boolean {
  return req?.seed !== undefined && req.seed !== null;
}

// ---------------------------------------------------------------------------------------------
// completion helpers

/** Apply `fn` to the first choice's message of a copy of the completion. */
function onMessage(c: Completion, fn: (message: Json, choice: Json) => void): Completion {
  const out = copy(c);
  const choice = out.choices?.[0];
  if (isObject(choice) && isObject(choice.message)) fn(choice.message, choice);
  return out;
}

function callsOf(c: Completion): Json[] {
  const calls = c?.choices?.[0]?.message?.tool_calls;
  return Array.isArray(calls) ? calls : [];
}

/** Apply `fn` to the tool calls of the first choice (a copy), when their count satisfies `count`. */
function onCalls(c: Completion, count: (n: number) => boolean, fn: (calls: Json[], message: Json, choice: Json) => void): Completion {
  if (!count(callsOf(c).length)) return c;
  return onMessage(c, (message, choice) => fn(message.tool_calls, message, choice));
}

function parseObject(text: unknown): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Remove the last property of a JSON object (a required one, for the schemas the checks send). */
function dropLastKey(value: Json): Json {
  const keys = Object.keys(value);
  const out = { ...value };
  if (keys.length > 0) delete out[keys[keys.length - 1]];
  return out;
}

/** Change the first string value of an object (keeps it valid for a plain string property). */
function changeFirstString(value: Json): Json {
  const out = { ...value };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string') {
      out[k] = v === 'Lyon' ? 'Marseille' : 'Lyon';
      return out;
    }
  }
  out.changed = true;
  return out;
}

// ---------------------------------------------------------------------------------------------
// stream helpers

/** Copy the events; `fn` gets the chunks (mutable copies) in order. */
function onChunks(events: StreamEvent[], fn: (chunks: Chunk[]) => void): StreamEvent[] {
  const out = events.map((e) => (e.kind === 'chunk' ? { kind: 'chunk' as const, chunk: copy(e.chunk) } : e));
  fn(out.filter((e): e is { kind: 'chunk'; chunk: Chunk } => e.kind === 'chunk').map((e) => e.chunk));
  return out;
}

interface FragmentRef {
  chunk: Chunk;
  choice: Json;
  fragment: Json;
}

/** Every delta.tool_calls fragment of choice `choiceIndex`, in order. */
function fragments(chunks: Chunk[], choiceIndex = 0): FragmentRef[] {
  const out: FragmentRef[] = [];
  for (const chunk of chunks) {
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isObject(choice) || (choice.index ?? 0) !== choiceIndex) continue;
      const calls = choice.delta?.tool_calls;
      if (Array.isArray(calls)) for (const fragment of calls) if (isObject(fragment)) out.push({ chunk, choice, fragment });
    }
  }
  return out;
}

/** Fragments grouped by their tool-call index. */
function byCallIndex(refs: FragmentRef[]): Map<number, FragmentRef[]> {
  const map = new Map<number, FragmentRef[]>();
  for (const ref of refs) {
    const i = typeof ref.fragment.index === 'number' ? ref.fragment.index : 0;
    map.set(i, [...(map.get(i) ?? []), ref]);
  }
  return map;
}

/** Replace the arguments of one streamed call: the whole text in its first argument-bearing fragment. */
function rewriteArguments(refs: FragmentRef[], fn: (args: string) => string): void {
  const withArgs = refs.filter((r) => typeof r.fragment.function?.arguments === 'string');
  if (withArgs.length === 0) return;
  const joined = withArgs.map((r) => r.fragment.function.arguments).join('');
  const next = fn(joined);
  withArgs.forEach((r, i) => {
    r.fragment.function.arguments = i === 0 ? next : '';
  });
}

/** Content deltas of choice `choiceIndex`, in order. */
function contentDeltas(chunks: Chunk[], choiceIndex = 0): Json[] {
  const out: Json[] = [];
  for (const chunk of chunks) {
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (isObject(choice) && (choice.index ?? 0) === choiceIndex && isObject(choice.delta) && typeof choice.delta.content === 'string' && choice.delta.content !== '') {
        out.push(choice.delta);
      }
    }
  }
  return out;
}

function choicesIn(chunks: Chunk[]): Json[] {
  const out: Json[] = [];
  for (const chunk of chunks) for (const c of Array.isArray(chunk.choices) ? chunk.choices : []) if (isObject(c)) out.push(c);
  return out;
}

// =============================================================================================
// tools

const toolFaults: Fault[] = [
  {
    id: 'tools.named-ignored',
    description: 'A named tool_choice is treated as "none" (non-stream): the model answers in text instead of calling the function.',
    proves: ['tools.named.tool-calls'],
    request: (req, ctx) =>
      isObject(req.tool_choice) && toolByName(req, req.tool_choice.function?.name) && !isStream(req, ctx) ? { ...req, tool_choice: 'none' } : req,
  },
  {
    id: 'tools.finish-reason-stop',
    description: 'A message that carries tool calls ends with finish_reason "stop" instead of "tool_calls" (stream and non-stream).',
    proves: ['tools.finish-reason', 'tools.named.finish-reason', 'tools.stream.finish-reason'],
    completion: (c) => onCalls(c, (n) => n > 0, (_calls, _m, choice) => (choice.finish_reason = 'stop')),
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const c of choicesIn(chunks)) if (c.finish_reason === 'tool_calls') c.finish_reason = 'stop';
      }),
  },
  {
    id: 'tools.empty-id',
    description: 'Tool calls come back with an empty id (non-stream).',
    proves: ['tools.named.id', 'parallel-tools.distinct-ids'],
    completion: (c) => onCalls(c, (n) => n > 0, (calls) => calls.forEach((call) => (call.id = ''))),
  },
  {
    id: 'tools.wrong-type',
    description: 'Tool calls come back with type "tool" instead of "function" (non-stream).',
    proves: ['tools.named.type-function'],
    completion: (c) => onCalls(c, (n) => n > 0, (calls) => calls.forEach((call) => (call.type = 'tool'))),
  },
  {
    id: 'tools.named-as-auto',
    description: 'A named tool_choice is treated as "auto" (non-stream): the call goes to the tool the question mentions, not to the one named.',
    proves: ['tools.named.function-name', 'tools.many-tools'],
    request: (req, ctx) =>
      isObject(req.tool_choice) && toolByName(req, req.tool_choice.function?.name) && !isStream(req, ctx) ? { ...req, tool_choice: 'auto' } : req,
  },
  {
    id: 'tools.args-not-json',
    description: 'A single tool call\'s arguments lose their closing brace, so they are not JSON (non-stream, arguments with properties).',
    proves: ['tools.named.arguments-json'],
    completion: (c) =>
      onCalls(c, (n) => n === 1, (calls) => {
        const args = calls[0].function?.arguments;
        if (typeof args === 'string' && args.length > 2) calls[0].function.arguments = args.slice(0, -1);
      }),
  },
  {
    id: 'tools.args-schema-violation',
    description: 'A single call to a non-strict tool misses a required argument (its last property is dropped) (non-stream).',
    proves: ['tools.named.arguments-schema'],
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
    proves: ['tools.named.content-null'],
    completion: (c) => onCalls(c, (n) => n > 0, (_calls, message) => (message.content = 'Let me look that up for you.')),
  },
  {
    id: 'tools.required-ignored',
    description: 'tool_choice "required" is treated as "auto": a prompt that mentions no tool gets a text answer.',
    proves: ['tools.required'],
    request: (req) => (req.tool_choice === 'required' && toolsOf(req).length > 0 ? { ...req, tool_choice: 'auto' } : req),
  },
  {
    id: 'tools.auto-ignored',
    description: 'An explicit tool_choice "auto" is treated as "none": the model never calls a tool.',
    proves: ['tools.auto'],
    request: (req) => (req.tool_choice === 'auto' && toolsOf(req).length > 0 ? { ...req, tool_choice: 'none' } : req),
  },
  {
    id: 'tools.none-ignored',
    description: 'tool_choice "none" is treated as "auto": a prompt that mentions a tool gets a tool call.',
    proves: ['tools.none'],
    request: (req) => (req.tool_choice === 'none' && toolsOf(req).length > 0 ? { ...req, tool_choice: 'auto' } : req),
  },
  {
    id: 'tools.reject-tool-results',
    description: 'A conversation with a tool message (a tool result) is refused with a 400.',
    proves: ['tools.round-trip', 'parallel-tools.round-trip'],
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.some((m: unknown) => isObject(m) && m.role === 'tool'),
      "Invalid value for 'messages': messages with role 'tool' are not supported.",
      'messages',
    ),
  },
  {
    id: 'tools.stream.no-index',
    description: 'Streamed delta.tool_calls fragments carry no index.',
    proves: ['tools.stream.index-on-every-fragment'],
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const ref of fragments(chunks)) delete ref.fragment.index;
      }),
  },
  {
    id: 'tools.stream.late-id',
    description: 'A single streamed call\'s id arrives on its second fragment instead of its first.',
    proves: ['tools.stream.first-fragment'],
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        if (groups.size !== 1) return;
        const refs = [...groups.values()][0];
        const id = refs[0].fragment.id;
        delete refs[0].fragment.id;
        if (refs.length > 1) refs[1].fragment.id = id;
        else refs[0].chunk.choices.push({ index: refs[0].choice.index ?? 0, delta: { tool_calls: [{ index: refs[0].fragment.index ?? 0, id }] }, finish_reason: null });
      }),
  },
  {
    id: 'tools.stream.id-changes',
    description: 'A single streamed call\'s later fragments carry a different id than its first.',
    proves: ['tools.stream.id-stable'],
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        if (groups.size !== 1) return;
        const refs = [...groups.values()][0];
        const id = refs[0].fragment.id;
        if (typeof id !== 'string') return;
        if (refs.length > 1) for (const ref of refs.slice(1)) ref.fragment.id = `${id}x`;
        else refs[0].chunk.choices.push({ index: refs[0].choice.index ?? 0, delta: { tool_calls: [{ index: refs[0].fragment.index ?? 0, id: `${id}x` }] }, finish_reason: null });
      }),
  },
  {
    id: 'tools.stream.args-broken',
    description: 'A single streamed call\'s argument fragments lose the closing brace, so they concatenate to invalid JSON.',
    proves: ['tools.stream.arguments-concatenate-to-json'],
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        if (groups.size !== 1) return;
        rewriteArguments([...groups.values()][0], (args) => (args.length > 2 ? args.slice(0, -1) : args));
      }),
  },
  {
    id: 'tools.stream.args-schema-violation',
    description: 'A single streamed call to a non-strict tool misses a required argument (its last property is dropped).',
    proves: ['tools.stream.arguments-schema'],
    events: (events, ctx) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        if (groups.size !== 1) return;
        const refs = [...groups.values()][0];
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
    proves: ['tools.strict'],
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
    proves: ['tools.many-tools'],
    validate: refuseWhen((req) => toolsOf(req).length > 64, "Invalid 'tools': array too long. Expected an array with maximum length 64.", 'tools', 'array_above_max_length'),
  },
  {
    id: 'tools.no-params-empty-string',
    description: 'A call to a tool without parameters (absent, or an object schema without properties) has arguments "" instead of "{}" (non-stream).',
    proves: ['tools.no-parameters', 'tools.empty-parameters'],
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
    proves: ['tools.prompt-tokens'],
    request: (req) => {
      if (req.tool_choice !== 'none' || toolsOf(req).length === 0) return req;
      const { tools: _tools, tool_choice: _choice, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'tools.duplicate-ids',
    description: 'Several tool calls in one message share the first call\'s id (stream and non-stream).',
    proves: ['parallel-tools.distinct-ids', 'parallel-tools.stream.distinct-ids'],
    completion: (c) =>
      onCalls(c, (n) => n > 1, (calls) => {
        for (const call of calls) call.id = calls[0].id;
      }),
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        if (groups.size < 2) return;
        const first = [...groups.values()][0][0].fragment.id;
        for (const refs of groups.values()) for (const ref of refs) if (typeof ref.fragment.id === 'string') ref.fragment.id = first;
      }),
  },
];

// =============================================================================================
// parallel tools

const parallelFaults: Fault[] = [
  {
    id: 'parallel.single-call',
    description: 'Only the first of several tool calls comes back (stream and non-stream).',
    proves: ['parallel-tools.several-calls'],
    completion: (c) => onCalls(c, (n) => n > 1, (calls, message) => (message.tool_calls = calls.slice(0, 1))),
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const chunk of chunks) {
          for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
            const calls = choice?.delta?.tool_calls;
            if (Array.isArray(calls)) choice.delta.tool_calls = calls.filter((f: Json) => (f?.index ?? 0) === 0);
          }
        }
      }),
  },
  {
    id: 'parallel.second-args-broken',
    description: 'With several tool calls, the second call\'s arguments lose their closing brace (non-stream).',
    proves: ['parallel-tools.arguments'],
    completion: (c) =>
      onCalls(c, (n) => n > 1, (calls) => {
        const args = calls[1].function?.arguments;
        if (typeof args === 'string' && args.length > 0) calls[1].function.arguments = args.slice(0, -1);
      }),
  },
  {
    id: 'parallel.stream-same-index',
    description: 'Several streamed tool calls all use index 0.',
    proves: ['parallel-tools.stream.indexes'],
    events: (events) =>
      onChunks(events, (chunks) => {
        const refs = fragments(chunks);
        if (byCallIndex(refs).size < 2) return;
        for (const ref of refs) ref.fragment.index = 0;
      }),
  },
  {
    id: 'parallel.stream-args-broken',
    description: 'With several streamed tool calls, the fragments of index 1 concatenate to invalid JSON (closing brace lost).',
    proves: ['parallel-tools.stream.arguments'],
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        const second = groups.get(1);
        if (groups.size < 2 || !second) return;
        rewriteArguments(second, (args) => (args.length > 0 ? args.slice(0, -1) : args));
      }),
  },
  {
    id: 'parallel.reject-several-results',
    description: 'A conversation with more than one tool message (several tool results) is refused with a 400.',
    proves: ['parallel-tools.round-trip'],
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.filter((m: unknown) => isObject(m) && m.role === 'tool').length > 1,
      "Invalid value for 'messages': only one tool result per turn is supported.",
      'messages',
    ),
  },
  {
    id: 'parallel.flag-ignored',
    description: 'parallel_tool_calls is dropped from the request: false still gives several calls.',
    proves: ['parallel-tools.disabled'],
    request: (req) => {
      if (req.parallel_tool_calls !== false || toolsOf(req).length === 0) return req;
      const { parallel_tool_calls: _drop, ...rest } = req;
      return rest;
    },
  },
];

// =============================================================================================
// vision

const visionFaults: Fault[] = [
  {
    id: 'vision.reject-images-dirty',
    description: 'Requests with an image are refused with a 400 whose body is not the OpenAI error envelope ({"detail": ...}).',
    proves: ['vision.data-url'],
    validate: (ctx, verdict) => verdict ?? (hasImage(ctx.request) ? { status: 400, body: { detail: 'Image input is not supported by this model.' } } : null),
  },
  {
    id: 'vision.reject-several-images',
    description: 'A message with more than one image is refused with a 400.',
    proves: ['vision.several-images'],
    validate: refuseWhen((req) => imageParts(req).some((parts) => parts.length > 1), 'At most 1 image(s) may be provided in one request.', 'messages'),
  },
  {
    id: 'vision.reject-detail',
    description: 'An image_url part with a detail field is refused with a 400.',
    proves: ['vision.detail-low', 'vision.detail-high'],
    validate: refuseWhen(
      (req) => imageParts(req).some((parts) => parts.some((p) => isObject(p.image_url) && p.image_url.detail !== undefined)),
      "Unrecognized request argument supplied: 'image_url.detail'.",
      'messages',
    ),
  },
  {
    id: 'vision.reject-images-in-stream',
    description: 'A streamed request with an image is refused with a 400.',
    proves: ['vision.stream'],
    validate: refuseWhen((req, ctx) => isStream(req, ctx) && hasImage(req), 'Images are not supported with stream: true.', 'stream'),
  },
  {
    id: 'vision.image-dropped',
    description: 'Image parts are silently removed from messages (the model never sees them; prompt_tokens do not count them).',
    proves: ['vision.image-tokens'],
    request: (req) => {
      if (!imageParts(req).some((parts) => parts.some(isWellFormedImage))) return req;
      return {
        ...req,
        messages: req.messages.map((m: unknown) =>
          isObject(m) && Array.isArray(m.content) ? { ...m, content: m.content.filter((p: unknown) => !isWellFormedImage(p)) } : m,
        ),
      };
    },
  },
];

// =============================================================================================
// structured output

function onJsonContent(c: Completion, fn: (value: Json) => string): Completion {
  return onMessage(c, (message) => {
    const value = parseObject(message.content);
    if (value) message.content = fn(value);
  });
}

function stripConstEnum(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripConstEnum);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'const' && k !== 'enum') out[k] = stripConstEnum(v);
  return out;
}

function hasConstEnum(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasConstEnum);
  if (!isObject(schema)) return false;
  return 'const' in schema || 'enum' in schema || Object.values(schema).some(hasConstEnum);
}

const structuredFaults: Fault[] = [
  {
    id: 'structured.json-fenced',
    description: 'With response_format json_object, the JSON content is wrapped in a markdown code fence (non-stream).',
    proves: ['structured.json-object'],
    completion: (c, ctx) => (formatType(ctx.request) === 'json_object' ? onMessage(c, (m) => (m.content = `\`\`\`json\n${m.content}\n\`\`\``)) : c),
  },
  {
    id: 'structured.truncated-json',
    description: 'With a non-strict json_schema, the content is cut in the middle, so it is not JSON (non-stream).',
    proves: ['structured.json-schema.parses'],
    completion: (c, ctx) =>
      formatType(ctx.request) === 'json_schema' && !schemaStrict(ctx.request)
        ? onMessage(c, (m) => {
            if (typeof m.content === 'string' && m.content.length > 1) m.content = m.content.slice(0, Math.ceil(m.content.length / 2));
          })
        : c,
  },
  {
    id: 'structured.schema-violated',
    description: 'With a non-strict json_schema, the content is JSON but misses a required property (its last one) (non-stream).',
    proves: ['structured.json-schema.validates'],
    completion: (c, ctx) =>
      formatType(ctx.request) === 'json_schema' && !schemaStrict(ctx.request) ? onJsonContent(c, (v) => JSON.stringify(dropLastKey(v))) : c,
  },
  {
    id: 'structured.stream-delta-dropped',
    description: 'A streamed json_schema answer loses one content delta in the middle, so the deltas do not concatenate to JSON.',
    proves: ['structured.stream.parses'],
    events: (events, ctx) =>
      formatType(ctx.request) === 'json_schema'
        ? onChunks(events, (chunks) => {
            const deltas = contentDeltas(chunks);
            if (deltas.length >= 3) deltas[Math.floor(deltas.length / 2)].content = '';
            else if (deltas.length > 0) deltas[deltas.length - 1].content = deltas[deltas.length - 1].content.slice(0, -1);
          })
        : events,
  },
  {
    id: 'structured.stream-schema-violated',
    description: 'A streamed json_schema answer is JSON but misses a required property (its last one).',
    proves: ['structured.stream.validates'],
    events: (events, ctx) =>
      formatType(ctx.request) === 'json_schema'
        ? onChunks(events, (chunks) => {
            const deltas = contentDeltas(chunks);
            const value = parseObject(deltas.map((d) => d.content).join(''));
            if (!value || deltas.length === 0) return;
            const text = JSON.stringify(dropLastKey(value));
            const size = Math.ceil(text.length / deltas.length);
            deltas.forEach((d, i) => (d.content = text.slice(i * size, (i + 1) * size)));
          })
        : events,
  },
  {
    id: 'structured.strict-extra-property',
    description: 'A strict json_schema is accepted but not enforced: the content carries an extra, undeclared property (non-stream).',
    proves: ['structured.strict'],
    completion: (c, ctx) =>
      formatType(ctx.request) === 'json_schema' && schemaStrict(ctx.request) ? onJsonContent(c, (v) => JSON.stringify({ ...v, extra_note: 'undeclared' })) : c,
  },
  {
    id: 'structured.const-enum-ignored',
    description: 'const and enum keywords of a json_schema are not enforced (the schema is used without them).',
    proves: ['structured.const-enum-obeyed'],
    request: (req) => {
      const js = req.response_format?.json_schema;
      if (formatType(req) !== 'json_schema' || !isObject(js) || !hasConstEnum(js.schema)) return req;
      return { ...req, response_format: { ...req.response_format, json_schema: { ...js, schema: stripConstEnum(js.schema) } } };
    },
  },
  {
    id: 'structured.refusal-wrong-shape',
    description: 'A non-strict json_schema answer carries a refusal as an object, alongside non-null content (non-stream).',
    proves: ['structured.refusal-shape'],
    completion: (c, ctx) =>
      formatType(ctx.request) === 'json_schema' && !schemaStrict(ctx.request)
        ? onMessage(c, (m) => (m.refusal = { message: "I'm sorry, I can't help with that." }))
        : c,
  },
];

// =============================================================================================
// logprobs

function onLogprobEntries(c: Completion, fn: (entries: Json[]) => void): Completion {
  const entries = c?.choices?.[0]?.logprobs?.content;
  if (!Array.isArray(entries) || entries.length === 0) return c;
  const out = copy(c);
  fn(out.choices[0].logprobs.content);
  return out;
}

const logprobsFaults: Fault[] = [
  {
    id: 'logprobs.dropped',
    description: 'logprobs and top_logprobs are dropped from non-stream requests: choices[].logprobs comes back null.',
    proves: ['logprobs.present'],
    request: (req, ctx) => {
      const top = req.top_logprobs;
      const validTop = top === undefined || top === null || (Number.isInteger(top) && top >= 0 && top <= 20);
      if (isStream(req, ctx) || req.logprobs !== true || !validTop) return req;
      const { logprobs: _l, top_logprobs: _t, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'logprobs.positive',
    description: 'logprobs.content[].logprob values are positive (non-stream; top_logprobs untouched).',
    proves: ['logprobs.token-shape'],
    completion: (c) => onLogprobEntries(c, (entries) => entries.forEach((e) => (e.logprob = Math.abs(Number(e.logprob) || 0) + 0.25))),
  },
  {
    id: 'logprobs.bytes-not-ints',
    description: 'logprobs.content[].bytes is the token text instead of an array of byte values (non-stream).',
    proves: ['logprobs.bytes'],
    completion: (c) => onLogprobEntries(c, (entries) => entries.forEach((e) => (e.bytes = String(e.token)))),
  },
  {
    id: 'logprobs.top-count-wrong',
    description: 'Each logprobs entry carries one top_logprobs alternative whatever top_logprobs asked for (non-stream).',
    proves: ['logprobs.top-logprobs'],
    completion: (c) =>
      onLogprobEntries(c, (entries) =>
        entries.forEach((e) => {
          e.top_logprobs = (Array.isArray(e.top_logprobs) ? e.top_logprobs : []).slice(0, 1);
        }),
      ),
  },
  {
    id: 'logprobs.tokens-mismatch',
    description: 'The logprobs tokens do not spell the content: the first token is changed (non-stream).',
    proves: ['logprobs.tokens-match-content'],
    completion: (c) =>
      onLogprobEntries(c, (entries) => {
        entries[0].token = `${entries[0].token}~`;
        entries[0].bytes = [...new TextEncoder().encode(entries[0].token)];
      }),
  },
  {
    id: 'logprobs.stream-missing',
    description: 'Streamed chunks carry no logprobs although logprobs: true was sent.',
    proves: ['logprobs.stream'],
    events: (events, ctx) =>
      ctx.request?.logprobs === true
        ? onChunks(events, (chunks) => {
            for (const c of choicesIn(chunks)) if ('logprobs' in c) c.logprobs = null;
          })
        : events,
  },
  {
    id: 'logprobs.always',
    description: 'Non-stream answers carry logprobs although logprobs was not requested.',
    proves: ['logprobs.absent-when-not-requested'],
    completion: (c, ctx) => {
      if (ctx.request?.logprobs === true) return c;
      const out = copy(c);
      for (const choice of Array.isArray(out.choices) ? out.choices : []) {
        const text = typeof choice?.message?.content === 'string' ? choice.message.content : '';
        choice.logprobs = {
          content: [{ token: text, logprob: -0.01, bytes: [...new TextEncoder().encode(text)], top_logprobs: [] }],
          refusal: null,
        };
      }
      return out;
    },
  },
];

// =============================================================================================
// n

function nOf(req: ChatRequest): number {
  return typeof req?.n === 'number' ? req.n : 1;
}

const nFaults: Fault[] = [
  {
    id: 'n.ignored',
    description: 'n is dropped from the request: one choice comes back (stream and non-stream).',
    proves: ['n.two-choices', 'n.stream.indexes'],
    request: (req) => {
      if (!Number.isInteger(req.n) || req.n < 2 || req.n > 128) return req;
      const { n: _n, ...rest } = req;
      return rest;
    },
  },
  {
    id: 'n.duplicate-index',
    description: 'With n > 1, every choice has index 0 (non-stream).',
    proves: ['n.indexes'],
    completion: (c) => {
      if (!Array.isArray(c?.choices) || c.choices.length < 2) return c;
      const out = copy(c);
      for (const choice of out.choices) choice.index = 0;
      return out;
    },
  },
  {
    id: 'n.second-choice-incomplete',
    description: 'With n > 1, the second choice has no finish_reason (null) (non-stream).',
    proves: ['n.each-complete'],
    completion: (c) => {
      if (!Array.isArray(c?.choices) || c.choices.length < 2) return c;
      const out = copy(c);
      out.choices[1].finish_reason = null;
      return out;
    },
  },
  {
    id: 'n.stream-same-index',
    description: 'With n > 1, every streamed choice has index 0 (the choices are interleaved under one index).',
    proves: ['n.stream.indexes'],
    events: (events, ctx) =>
      nOf(ctx.request) > 1
        ? onChunks(events, (chunks) => {
            for (const c of choicesIn(chunks)) c.index = 0;
          })
        : events,
  },
  {
    id: 'n.stream-missing-finish',
    description: 'With n > 1, the streamed choice index 1 never receives a finish_reason.',
    proves: ['n.stream.finish-each'],
    events: (events, ctx) =>
      nOf(ctx.request) > 1
        ? onChunks(events, (chunks) => {
            for (const c of choicesIn(chunks)) if (c.index === 1 && c.finish_reason !== null && c.finish_reason !== undefined) c.finish_reason = null;
          })
        : events,
  },
  {
    id: 'n.usage-one-choice',
    description: 'With n > 1, usage.completion_tokens counts only the first choice (non-stream).',
    proves: ['n.usage-counts-every-choice'],
    completion: (c, ctx) => {
      const n = nOf(ctx.request);
      if (n < 2 || !isObject(c?.usage) || typeof c.usage.completion_tokens !== 'number') return c;
      const out = copy(c);
      out.usage.completion_tokens = Math.ceil(out.usage.completion_tokens / n);
      out.usage.total_tokens = out.usage.prompt_tokens + out.usage.completion_tokens;
      return out;
    },
  },
  {
    id: 'n.stream-usage-early',
    description: 'With n > 1 and include_usage, the usage chunk comes right after choice 0 finishes, before choice 1 has its finish_reason.',
    proves: ['n.stream.usage-once'],
    events: (events, ctx) => {
      if (nOf(ctx.request) < 2) return events;
      const at = events.findIndex((e) => e.kind === 'chunk' && isObject(e.chunk.usage) && Array.isArray(e.chunk.choices) && e.chunk.choices.length === 0);
      const first = events.findIndex((e) => e.kind === 'chunk' && Array.isArray(e.chunk.choices) && e.chunk.choices.some((c: Json) => (c.index ?? 0) === 0 && c.finish_reason));
      if (at < 0 || first < 0 || first > at) return events;
      const out = [...events];
      const [usage] = out.splice(at, 1);
      out.splice(first + 1, 0, usage);
      return out;
    },
  },
  {
    id: 'n.stream-role-once',
    description: 'With n > 1, only the streamed choice index 0 announces role "assistant".',
    proves: ['n.stream.role-each'],
    events: (events, ctx) =>
      nOf(ctx.request) > 1
        ? onChunks(events, (chunks) => {
            for (const c of choicesIn(chunks)) if ((c.index ?? 0) > 0 && isObject(c.delta)) delete c.delta.role;
          })
        : events,
  },
];

// =============================================================================================
// seed

let fingerprintCounter = 0;

const seedFaults: Fault[] = [
  {
    id: 'seed.no-fingerprint',
    description: 'Answers to seeded requests carry no system_fingerprint (non-stream).',
    proves: ['seed.fingerprint-present'],
    completion: (c, ctx) => {
      if (!hasSeed(ctx.request)) return c;
      const { system_fingerprint: _drop, ...rest } = c;
      return rest;
    },
  },
  {
    id: 'seed.fingerprint-random',
    description: 'Every answer to a seeded request carries a different system_fingerprint (non-stream).',
    proves: ['seed.fingerprint-stable'],
    completion: (c, ctx) => (hasSeed(ctx.request) ? { ...c, system_fingerprint: `fp_${(++fingerprintCounter).toString(16).padStart(10, '0')}` } : c),
  },
  {
    id: 'seed.ignored',
    description: 'The seed has no effect: each answer to a seeded request differs (a varying word is appended) (non-stream).',
    proves: ['seed.same-output'],
    completion: (c, ctx) =>
      hasSeed(ctx.request)
        ? onMessage(c, (m) => {
            if (typeof m.content === 'string') m.content = `${m.content} (${Math.random().toString(36).slice(2, 8)})`;
          })
        : c,
  },
];

// =============================================================================================
// equivalence (streams of seeded requests differ from the non-stream answer)

function seededStream(req: ChatRequest, ctx: FaultContext): boolean {
  return isStream(req, ctx) && hasSeed(req);
}

const equivalenceFaults: Fault[] = [
  {
    id: 'equivalence.stream-text-differs',
    description: 'A seeded stream\'s text differs from the non-stream answer: its last content delta gains a word.',
    proves: ['equivalence.text'],
    events: (events, ctx) =>
      seededStream(ctx.request, ctx)
        ? onChunks(events, (chunks) => {
            const deltas = contentDeltas(chunks);
            if (deltas.length > 0) deltas[deltas.length - 1].content += ' indeed';
          })
        : events,
  },
  {
    id: 'equivalence.stream-finish-differs',
    description: 'A seeded stream ends with the other finish_reason ("stop" ↔ "length") than the non-stream answer.',
    proves: ['equivalence.finish-reason'],
    events: (events, ctx) =>
      seededStream(ctx.request, ctx)
        ? onChunks(events, (chunks) => {
            for (const c of choicesIn(chunks)) {
              if (c.finish_reason === 'stop') c.finish_reason = 'length';
              else if (c.finish_reason === 'length') c.finish_reason = 'stop';
            }
          })
        : events,
  },
  {
    id: 'equivalence.stream-usage-differs',
    description: 'A seeded stream\'s usage counts one completion token more than the non-stream answer (total adjusted).',
    proves: ['equivalence.usage'],
    events: (events, ctx) =>
      seededStream(ctx.request, ctx)
        ? onChunks(events, (chunks) => {
            for (const chunk of chunks) {
              if (!isObject(chunk.usage)) continue;
              chunk.usage.completion_tokens = Number(chunk.usage.completion_tokens ?? 0) + 1;
              chunk.usage.total_tokens = Number(chunk.usage.total_tokens ?? 0) + 1;
            }
          })
        : events,
  },
  {
    id: 'equivalence.stream-args-differ',
    description: 'A seeded stream\'s tool-call arguments differ from the non-stream answer (a string value changes).',
    proves: ['equivalence.tool-calls'],
    events: (events, ctx) =>
      seededStream(ctx.request, ctx)
        ? onChunks(events, (chunks) => {
            for (const refs of byCallIndex(fragments(chunks)).values()) {
              rewriteArguments(refs, (args) => {
                const parsed = parseObject(args);
                return parsed ? JSON.stringify(changeFirstString(parsed)) : args;
              });
            }
          })
        : events,
  },
];

// =============================================================================================
// reasoning

function reasoningField(message: Json): 'reasoning_content' | 'reasoning' | undefined {
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') return 'reasoning_content';
  if (typeof message.reasoning === 'string' && message.reasoning !== '') return 'reasoning';
}

/** Reasoning deltas of choice 0 (the delta objects and the field name). */
function reasoningDeltas(chunks: Chunk[]): { delta: Json; field: 'reasoning_content' | 'reasoning'; chunk: Chunk }[] {
  const out: { delta: Json; field: 'reasoning_content' | 'reasoning'; chunk: Chunk }[] = [];
  for (const chunk of chunks) {
    for (const c of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isObject(c) || (c.index ?? 0) !== 0 || !isObject(c.delta)) continue;
      const field = reasoningField(c.delta);
      if (field) out.push({ delta: c.delta, field, chunk });
    }
  }
  return out;
}

const reasoningFaults: Fault[] = [
  {
    id: 'reasoning.not-a-string',
    description: 'Reasoning arrives as an array of parts ([{"type":"text","text":...}]) instead of a string (stream and non-stream).',
    proves: ['reasoning.field', 'reasoning.stream.field'],
    completion: (c) =>
      onMessage(c, (m) => {
        const field = reasoningField(m);
        if (field) m[field] = [{ type: 'text', text: m[field] }];
      }),
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const { delta, field } of reasoningDeltas(chunks)) delta[field] = [{ type: 'text', text: delta[field] }];
      }),
  },
  {
    id: 'reasoning.renamed',
    description: 'Reasoning arrives in message.thinking instead of reasoning_content or reasoning (non-stream).',
    proves: ['reasoning.field-name'],
    completion: (c) =>
      onMessage(c, (m) => {
        const field = reasoningField(m);
        if (!field) return;
        m.thinking = m[field];
        delete m[field];
      }),
  },
  {
    id: 'reasoning.think-in-content',
    description: 'Reasoning is put into content inside <think>…</think> instead of a reasoning field (stream and non-stream).',
    proves: ['reasoning.not-in-content', 'reasoning.stream.not-in-content'],
    completion: (c) =>
      onMessage(c, (m) => {
        const field = reasoningField(m);
        if (!field) return;
        m.content = `<think>${m[field]}</think>${typeof m.content === 'string' ? m.content : ''}`;
        delete m[field];
      }),
    events: (events) =>
      onChunks(events, (chunks) => {
        const deltas = reasoningDeltas(chunks);
        deltas.forEach(({ delta, field }, i) => {
          delta.content = `${i === 0 ? '<think>' : ''}${delta[field]}${i === deltas.length - 1 ? '</think>' : ''}`;
          delete delta[field];
        });
      }),
  },
  {
    id: 'reasoning.all-in-reasoning',
    description: 'The answer is appended to the reasoning and content is null (non-stream).',
    proves: ['reasoning.answer-in-content'],
    completion: (c) =>
      onMessage(c, (m) => {
        const field = reasoningField(m);
        if (!field) return;
        m[field] = `${m[field]}\n${typeof m.content === 'string' ? m.content : ''}`;
        m.content = null;
      }),
  },
  {
    id: 'reasoning.require-reasoning-back',
    description: 'For the reasoning model, an earlier assistant text turn without reasoning_content is refused with a 400.',
    proves: ['reasoning.round-trip'],
    validate: refuseWhen(
      (req) =>
        typeof req.model === 'string' &&
        isReasoner(req.model) &&
        Array.isArray(req.messages) &&
        req.messages.some((m: unknown) => isObject(m) && m.role === 'assistant' && typeof m.content === 'string' && !m.tool_calls && m.reasoning_content === undefined),
      "Missing required parameter: 'messages[].reasoning_content' (assistant turns must carry their reasoning).",
      'messages',
      'missing_required_parameter',
    ),
  },
  {
    id: 'reasoning.stream-interleaved',
    description: 'In a stream, the first content delta comes before the last reasoning delta.',
    proves: ['reasoning.stream.before-content'],
    events: (events) => {
      // swap the event of the last reasoning delta with the event of the first content delta
      const isReasoningEvent = (e: StreamEvent) =>
        e.kind === 'chunk' && Array.isArray(e.chunk.choices) && e.chunk.choices.some((c: Json) => isObject(c?.delta) && reasoningField(c.delta));
      const isContentEvent = (e: StreamEvent) =>
        e.kind === 'chunk' && Array.isArray(e.chunk.choices) && e.chunk.choices.some((c: Json) => typeof c?.delta?.content === 'string' && c.delta.content !== '');
      let lastReasoning = -1;
      events.forEach((e, i) => {
        if (isReasoningEvent(e)) lastReasoning = i;
      });
      const firstContent = events.findIndex(isContentEvent);
      if (lastReasoning < 0 || firstContent < 0 || firstContent < lastReasoning) return events;
      const out = [...events];
      [out[lastReasoning], out[firstContent]] = [out[firstContent], out[lastReasoning]];
      return out;
    },
  },
];

export const featureContractFaults: Fault[] = [
  ...reasoningFaults,
  ...toolFaults,
  ...parallelFaults,
  ...visionFaults,
  ...structuredFaults,
  ...logprobsFaults,
  ...nFaults,
  ...seedFaults,
  ...equivalenceFaults,
];
