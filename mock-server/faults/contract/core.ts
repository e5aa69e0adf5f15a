// Faults for suites/checks/core.ts: the completion's shape, the messages and parameters every server
// must accept, and the limits whose effect is observed.
import type { ChatRequest } from '../../types.ts';
import { contentDeltas, eachChoice, eachMessage, editCompletion, isObject, onChunks, refuse, refuseWhen, rolesOf, without, type ContractFault } from './helpers.ts';
import { errorBody } from '../../respond.ts';

/** Refuse (400) a request that carries `field`, as a server that does not know it. */
function unrecognized(field: string): ContractFault['validate'] {
  return refuseWhen((req) => field in req, `Unrecognized request argument supplied: ${field}`, field, 'unknown_parameter');
}

const KNOWN_REQUEST_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop',
  'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'seed', 'tools', 'tool_choice',
  'parallel_tool_calls', 'response_format', 'functions', 'function_call', 'service_tier', 'store', 'metadata', 'modalities',
  'audio', 'prediction', 'reasoning_effort', 'web_search_options', 'safety_identifier', 'prompt_cache_key', 'verbosity',
]);

export const coreFaults: ContractFault[] = [
  {
    id: 'core.completion.schema-broken',
    description: 'system_fingerprint is a number (12345), not a string: the completion no longer validates against the contract',
    completion: (c) => ({ ...c, system_fingerprint: 12345 }),
  },
  {
    id: 'core.object-wrong',
    description: 'object is "chat.completion.chunk" in a non-streamed answer',
    alsoBreaks: ['core.completion.schema'],
    completion: (c) => ({ ...c, object: 'chat.completion.chunk' }),
  },
  {
    id: 'core.id-empty',
    description: 'id is an empty string',
    alsoBreaks: ['core.completion.schema'],
    completion: (c) => ({ ...c, id: '' }),
  },
  {
    id: 'core.created-ms',
    description: 'created is in milliseconds (Date.now()), not seconds',
    completion: (c) => ({ ...c, created: typeof c.created === 'number' ? c.created * 1000 + 123 : Date.now() }),
  },
  {
    id: 'core.model-missing',
    description: 'the completion has no model field',
    alsoBreaks: ['core.completion.schema'],
    completion: (c) => without(c, 'model'),
  },
  {
    id: 'core.model-other',
    description: 'model names a different model than the one requested ("backend-llm-7b")',
    completion: (c) => ({ ...c, model: 'backend-llm-7b' }),
  },
  {
    id: 'core.choices-empty',
    description: 'choices is an empty array in a non-streamed answer',
    alsoBreaks: ['core.completion.schema'],
    completion: (c) => ({ ...c, choices: [] }),
  },
  {
    id: 'core.choices-index-1',
    description: 'choices are indexed from 1, not 0',
    completion: (c) => eachChoice(c, (ch, i) => (ch.index = i + 1)),
  },
  {
    id: 'core.message.role-wrong',
    description: 'message.role is "model" (Gemini\'s name), not "assistant"',
    alsoBreaks: ['core.completion.schema'],
    completion: (c) => eachMessage(c, (m) => (m.role = 'model')),
  },
  {
    id: 'core.content-null',
    description: 'message.content is null in a plain text answer (no tool_calls, no refusal)',
    completion: (c) => eachMessage(c, (m) => typeof m.content === 'string' && !m.tool_calls && (m.content = null)),
  },
  {
    id: 'core.finish-reason-eos',
    description: 'finish_reason "stop" is sent as "eos" (a backend\'s own name)',
    alsoBreaks: ['core.completion.schema', 'core.stop.string', 'core.stop.array'],
    completion: (c) => eachChoice(c, (ch) => ch.finish_reason === 'stop' && (ch.finish_reason = 'eos')),
  },
  {
    id: 'core.usage-missing',
    description: 'a non-streamed answer carries no usage',
    completion: (c) => without(c, 'usage'),
  },
  {
    id: 'core.usage-wrong-total',
    description: 'usage.total_tokens is one more than prompt_tokens + completion_tokens',
    completion: (c) => (isObject(c.usage) ? { ...c, usage: { ...c.usage, total_tokens: c.usage.total_tokens + 1 } } : c),
  },
  {
    id: 'core.reject-system',
    description: 'a system message is refused with 400 ("System role not supported", as some chat templates do)',
    alsoBreaks: ['core.messages.content-parts'],
    validate: refuseWhen((req) => rolesOf(req).includes('system'), 'System role not supported by this model.', 'messages[0].role'),
  },
  {
    id: 'core.developer-crash',
    description: 'a developer message makes the server fail with 500 (a chat template that does not know the role)',
    validate: (ctx, refusal) =>
      refusal ??
      (rolesOf(ctx.request).includes('developer')
        ? { status: 500, body: errorBody("Internal server error: the chat template raised 'unknown role: developer'.", 'server_error', null, null) }
        : null),
  },
  {
    id: 'core.reject-history',
    description: 'a history with an assistant message is refused with 400 (only single-turn requests served)',
    alsoBreaks: ['core.messages.content-parts', 'core.messages.reasoning-in-history'],
    validate: refuseWhen((req) => rolesOf(req).includes('assistant'), 'Only one user message is supported.', 'messages'),
  },
  {
    id: 'core.reject-temperature-2',
    description: 'temperature above 1 is refused with 400 (a backend whose range is 0 to 1)',
    validate: refuseWhen((req) => typeof req.temperature === 'number' && req.temperature > 1, 'temperature must be between 0 and 1.', 'temperature'),
  },
  {
    id: 'core.reject-top-p',
    description: 'top_p is refused with 400 as an unrecognized argument',
    validate: unrecognized('top_p'),
  },
  {
    id: 'core.reject-seed',
    description: 'seed is refused with 400 as an unrecognized argument',
    validate: unrecognized('seed'),
  },
  {
    id: 'core.reject-penalties',
    description: 'negative frequency_penalty / presence_penalty are refused with 400 (a backend whose range is 0 to 2)',
    validate: (ctx, refusal) => {
      if (refusal) return refusal;
      const negative = ['frequency_penalty', 'presence_penalty'].find((p) => typeof ctx.request[p] === 'number' && ctx.request[p] < 0);
      return negative ? refuse(`${negative} must be between 0 and 2.`, negative) : null;
    },
  },
  {
    id: 'core.reject-user',
    description: 'user is refused with 400 as an unrecognized argument',
    validate: unrecognized('user'),
  },
  {
    id: 'core.unknown-field-422',
    description: 'a top-level field the server does not know is refused with 422 and a FastAPI-style {"detail": [...]} body (strict validation, no OpenAI envelope)',
    validate: (ctx, refusal) => {
      if (refusal || !isObject(ctx.request)) return refusal;
      const unknown = Object.keys(ctx.request).find((k) => !KNOWN_REQUEST_FIELDS.has(k));
      if (!unknown) return null;
      return { status: 422, body: { detail: [{ type: 'extra_forbidden', loc: ['body', unknown], msg: 'Extra inputs are not permitted', input: ctx.request[unknown] }] } };
    },
  },
  {
    id: 'core.max-tokens-ignored',
    description: 'max_tokens is ignored (the answer runs to its natural end)',
    alsoBreaks: ['stream.finish-length'],
    request: (req) => without(req, 'max_tokens'),
  },
  {
    id: 'core.max-completion-tokens-ignored',
    description: 'max_completion_tokens is ignored (the answer runs to its natural end)',
    request: (req) => without(req, 'max_completion_tokens'),
  },
  {
    id: 'core.stop-ignored',
    description: 'stop is ignored in non-streamed requests',
    alsoBreaks: ['core.stop.array'],
    request: (req: ChatRequest) => (req.stream === true || !('stop' in req) ? req : without(req, 'stop')),
  },
  {
    id: 'core.stop-array-first-only',
    description: 'of a stop array only the first string is honoured',
    request: (req) => (Array.isArray(req.stop) && req.stop.length > 1 ? { ...req, stop: req.stop[0] } : req),
  },
  {
    id: 'core.leak-end-token',
    description: 'the chat template\'s end-of-turn token <|im_end|> is left at the end of the answer text (stream and non-stream)',
    completion: (c) => eachMessage(c, (m) => typeof m.content === 'string' && (m.content += '<|im_end|>')),
    events: (events) => onChunks(events, (chunks) => {
      const deltas = contentDeltas(chunks);
      if (deltas.length > 0) deltas[deltas.length - 1].content += '<|im_end|>';
    }),
  },
  {
    id: 'core.usage-details-wrong',
    description: 'usage.prompt_tokens_details.cached_tokens is larger than prompt_tokens',
    completion: (c) => editCompletion(c, (out) => isObject(out.usage) && (out.usage.prompt_tokens_details = { cached_tokens: (out.usage.prompt_tokens ?? 0) + 5 })),
  },
  {
    id: 'core.reject-content-parts',
    description: 'a system, developer, assistant or tool message whose content is an array of parts is refused with 400 (only user messages may carry parts)',
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.some((m: unknown) => isObject(m) && m.role !== 'user' && Array.isArray(m.content)),
      "Invalid 'messages': content must be a string for this role.",
      'messages',
    ),
  },
  {
    id: 'core.reject-odd-order',
    description: 'a chat template that raises on two system messages, a system message after the first, or two user turns in a row (400)',
    validate: refuseWhen(
      (req) => {
        const roles = rolesOf(req);
        const systems = roles.filter((r) => r === 'system').length;
        return systems > 1 || (systems === 1 && roles[0] !== 'system') || roles.some((r, i) => r === 'user' && roles[i + 1] === 'user');
      },
      'Conversation roles must alternate user/assistant/user/assistant/... and a system message may only come first.',
      'messages',
    ),
  },
  {
    id: 'core.reject-reasoning-history',
    description: 'an assistant turn carrying reasoning_content or reasoning is refused with 400',
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.some((m: unknown) => isObject(m) && m.role === 'assistant' && ('reasoning_content' in m || 'reasoning' in m)),
      "Invalid 'messages': unexpected field 'reasoning_content' in an assistant message.",
      'messages',
    ),
  },
  {
    id: 'core.drop-system-parts',
    description: 'a system message whose content is an array of text parts is dropped before the model sees it',
    request: (req) => (Array.isArray(req.messages) ? { ...req, messages: req.messages.filter((m: unknown) => !(isObject(m) && m.role === 'system' && Array.isArray(m.content))) } : req),
  },
  {
    id: 'core.reasoning-effort-500',
    description: 'reasoning_effort makes the server fail with 500 (a model that does not reason)',
    validate: (ctx, verdict) =>
      verdict ?? (isObject(ctx.request) && 'reasoning_effort' in ctx.request ? { status: 500, body: errorBody('reasoning_effort is not supported by this model.', 'server_error', null, null) } : null),
  },
];
