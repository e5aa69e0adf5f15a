// Faults for suites/checks/errors.ts: invalid requests accepted, clamped or answered with a server
// error; error bodies without the envelope; a server left broken by an error.
import { errorBody, utf8 } from '../../respond.ts';
import { schemaProblem } from '../../schema-gen.ts';
import type { ChatRequest } from '../../types.ts';
import { isObject, planJson, refuse, setHeader, without, type ContractFault } from './helpers.ts';

const SERVER_ERROR = { status: 500, body: errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null, null) };
const KNOWN_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** Users poisoned by a 400 (errors.poison-after-400): their next request fails. */
const poisoned = new Set<string>();

/** A number parameter outside min..max is clamped silently. */
function clamp(name: string, max: number, min: number) {
  return (req: ChatRequest): ChatRequest => {
    const v = req[name];
    if (typeof v !== 'number') return req;
    if (v > max) return { ...req, [name]: max };
    if (v < min) return { ...req, [name]: min };
    return req;
  };
}

export const errorsFaults: ContractFault[] = [
  {
    id: 'errors.accept-bad-json',
    description: 'a body that is not valid JSON is answered as if it were an empty request (200)',
    validate: (_ctx, refusal) => (refusal?.stage === 'json' ? null : refusal),
  },
  {
    id: 'errors.accept-missing-messages',
    description: 'a request without messages is answered (200) instead of refused',
    validate: (ctx, refusal) => (refusal?.stage === 'contract' && isObject(ctx.request) && !('messages' in ctx.request) ? null : refusal),
  },
  {
    id: 'errors.accept-empty-messages',
    description: 'a request with messages: [] is answered (200) instead of refused',
    validate: (ctx, refusal) => (refusal && Array.isArray(ctx.request?.messages) && ctx.request.messages.length === 0 ? null : refusal),
  },
  {
    id: 'errors.accept-invalid-role',
    description: 'messages with an unknown role are treated as user messages',
    request: (req) =>
      Array.isArray(req.messages)
        ? { ...req, messages: req.messages.map((m: any) => (isObject(m) && typeof m.role === 'string' && !KNOWN_ROLES.has(m.role) ? { ...m, role: 'user' } : m)) }
        : req,
  },
  {
    id: 'errors.accept-wrong-type',
    description: 'a temperature that is not a number is dropped silently',
    request: (req) => (req.temperature === undefined || req.temperature === null || typeof req.temperature === 'number' ? req : without(req, 'temperature')),
  },
  {
    id: 'errors.clamp-temperature',
    description: 'a temperature outside 0..2 is clamped silently',
    alsoBreaks: ['errors.stream-refused-before-start'],
    request: clamp('temperature', 2, 0),
  },
  {
    id: 'errors.clamp-top-logprobs',
    description: 'a top_logprobs above 20 is clamped silently',
    request: clamp('top_logprobs', 20, 0),
  },
  {
    id: 'errors.accept-unknown-tool-choice',
    description: 'a tool_choice naming a function that is not among the declared tools falls back to "auto"',
    request: (req) => {
      const name = req.tool_choice?.function?.name;
      if (typeof name !== 'string' || !Array.isArray(req.tools) || req.tools.length === 0) return req;
      return req.tools.some((t: any) => t?.function?.name === name) ? req : { ...req, tool_choice: 'auto' };
    },
  },
  {
    id: 'errors.accept-invalid-tool-type',
    description: 'a tool of an unknown type is taken as a function',
    request: (req) =>
      Array.isArray(req.tools) ? { ...req, tools: req.tools.map((t: any) => (isObject(t) && t.type !== 'function' && t.type !== 'custom' ? { ...t, type: 'function' } : t)) } : req,
  },
  {
    id: 'errors.accept-invalid-json-schema',
    description: 'a response_format json_schema that is not a valid JSON Schema is ignored (plain text answer)',
    request: (req) => {
      const rf = req.response_format;
      if (!isObject(rf) || rf.type !== 'json_schema' || !isObject(rf.json_schema) || schemaProblem(rf.json_schema.schema) === null) return req;
      return without(req, 'response_format');
    },
  },
  {
    id: 'errors.accept-tool-choice-without-tools',
    description: 'a tool_choice ("required" or naming a function) in a request without tools is ignored instead of refused (a text answer)',
    validate: (ctx, refusal) =>
      refusal?.stage === 'semantic' && isObject(ctx.request) && ctx.request.tool_choice !== undefined && !Array.isArray(ctx.request.tools) ? null : refusal,
  },
  {
    id: 'errors.server-error-for-bad-tool-type',
    description: 'a tool of an unknown type is answered with 500 (the tool parser throws), as llama.cpp does',
    alsoBreaks: ['errors.invalid-tool-type'],
    validate: (ctx, refusal) =>
      isObject(ctx.request) && Array.isArray(ctx.request.tools) && ctx.request.tools.some((t: unknown) => isObject(t) && t.type !== 'function') ? SERVER_ERROR : refusal,
  },
  {
    id: 'errors.accept-stream-options',
    description: 'stream_options without stream is ignored instead of refused',
    request: (req) => (req.stream === true || req.stream_options === undefined ? req : without(req, 'stream_options')),
  },
  {
    id: 'errors.poison-after-400',
    description: 'after a 4xx, the next request of the same user fails with 500 (state left broken by the error)',
    validate: (ctx, refusal) => {
      const user = typeof ctx.request?.user === 'string' ? ctx.request.user : undefined;
      if (!user) return refusal;
      if (refusal && refusal.status >= 400 && refusal.status < 500) {
        poisoned.add(user);
        return refusal;
      }
      return poisoned.delete(user) ? SERVER_ERROR : refusal;
    },
  },
  {
    id: 'errors.unknown-model-served',
    description: 'a request for an unknown model is served by the default model (200)',
    alsoBreaks: ['errors.unknown-model.404'],
    validate: (ctx, refusal) => (refusal?.stage === 'model' && ctx.route !== 'model' ? null : refusal),
  },
  {
    id: 'errors.unknown-model-400',
    description: 'an unknown model is refused with 400 and no code, instead of 404 model_not_found',
    validate: (ctx, refusal) =>
      refusal?.stage === 'model' && ctx.route !== 'model' ? refuse(`Invalid model: ${String(ctx.request?.model ?? '')}`.trim(), 'model', null) : refusal,
  },
  {
    id: 'errors.envelope-flat',
    description: 'error bodies are {"error": "message"} (a string, as Ollama and older llama.cpp send), not the envelope',
    // every refusal loses its envelope, so every check of a refusal that wants the envelope fails too
    alsoBreaks: [
      'errors.malformed-json',
      'errors.missing-messages',
      'errors.empty-messages',
      'errors.invalid-role',
      'errors.wrong-type',
      'errors.out-of-range.temperature',
      'errors.out-of-range.top-logprobs',
      'errors.tool-choice-unknown-function',
      'errors.tool-choice-without-tools',
      'errors.invalid-tool-type',
      'errors.invalid-json-schema',
      'errors.stream-options-without-stream',
      'errors.unknown-model.refused',
      'errors.unknown-model.404',
      'errors.stream-refused-before-start',
    ],
    validate: (_ctx, refusal) => {
      if (!refusal) return refusal;
      const message = (refusal.body as any)?.error?.message;
      return { ...refusal, body: { error: typeof message === 'string' ? message : 'error' } };
    },
  },
  {
    id: 'errors.content-type-text',
    description: 'error responses are sent with content-type text/plain (the body is still JSON)',
    plan: (plan) => (plan.status >= 400 ? setHeader(plan, 'content-type', 'text/plain; charset=utf-8') : plan),
  },
  {
    id: 'errors.stream-error-in-band',
    description: 'an invalid streaming request gets a 200 event stream carrying the error as an event',
    plan: (plan, ctx) => {
      if (ctx.stream !== true || plan.status < 400 || plan.status >= 500) return plan;
      const body = planJson(plan) ?? errorBody('invalid request', 'invalid_request_error');
      const bytes = utf8(`data: ${JSON.stringify(body)}\n\ndata: [DONE]\n\n`);
      return {
        ...plan,
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
        writes: [{ delayMs: 0, bytes }],
        ending: 'end',
      };
    },
  },
  {
    id: 'errors.context-truncated',
    description: 'a prompt longer than the context is served (200), its beginning silently dropped, instead of refused with 400 context_length_exceeded',
    validate: (_ctx, verdict) => (verdict && (verdict.body as any)?.error?.code === 'context_length_exceeded' ? null : verdict),
  },
];
