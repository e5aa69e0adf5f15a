// errors: invalid requests are refused with the right status and the OpenAI error envelope
// ({"error": {"message", "type", "param", "code"}}), before any stream starts, and the server keeps
// answering afterwards.
import { describeRequest } from '../runner/client.ts';
import { bodyOf, errorSummary } from './support/completion.ts';
import { contextWindow, promptOfTokens } from './support/context-window.ts';
import { Skip, prerequisite, unanswered } from './support/gates.ts';
import { openapi, param, schema as contract } from './support/refs.ts';
import { chat } from './support/requests.ts';
import { show } from './support/text.ts';
import { errorEnvelope } from './support/validators.ts';
import { checksOf, type CheckDeclaration, type Finding, type Level, type RequestSpec, type Validator } from './types.ts';

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};

/** The requests these checks send, by what is wrong with them. */
const BAD: Record<string, RequestSpec> = {
  malformedJson: { method: 'POST', rawBody: '{"model": "oai-compat", "messages": [{"role": "user", "content": "Say hello."}' },
  missingMessages: { body: { max_tokens: 16 } },
  emptyMessages: { body: { messages: [], max_tokens: 16 } },
  invalidRole: { body: { messages: [{ role: 'robot', content: 'Say hello.' }], max_tokens: 16 } },
  wrongType: { body: chat('Say hello.', { temperature: 'hot', max_tokens: 16 }) },
  temperature5: { body: chat('Say hello.', { temperature: 5, max_tokens: 16 }) },
  topLogprobs30: { body: chat('Say hello.', { logprobs: true, top_logprobs: 30, max_tokens: 16 }) },
  unknownToolChoice: {
    body: chat('What is the weather in Paris?', { tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_time' } }, max_tokens: 16 }),
  },
  requiredWithoutTools: { body: chat('What is the weather in Paris?', { tool_choice: 'required', max_tokens: 16 }) },
  namedWithoutTools: { body: chat('What is the weather in Paris?', { tool_choice: { type: 'function', function: { name: 'get_weather' } }, max_tokens: 16 }) },
  invalidToolType: { body: chat('What is the weather in Paris?', { tools: [{ ...WEATHER_TOOL, type: 'banana' }], max_tokens: 16 }) },
  invalidJsonSchema: {
    body: chat('Give me a colour.', {
      response_format: { type: 'json_schema', json_schema: { name: 'colour', schema: { type: 'objekt', properties: { name: { type: 'string' } } } } },
      max_tokens: 16,
    }),
  },
  streamOptionsWithoutStream: { body: chat('Say hello.', { stream_options: { include_usage: true }, max_tokens: 16 }) },
  // Read as plain text whatever comes back: a correct server answers JSON, a faulty one an event stream.
  badStream: { body: chat('Say hello.', { stream: true, temperature: 5, max_tokens: 16 }), stream: false },
};

/** Wrong request shapes that only the no-5xx rule judges (vllm-project/vllm#35438 and its like). */
const WRONG_SHAPES: Record<string, RequestSpec> = {
  responseFormatUnwrapped: { body: chat('Give me a colour.', { response_format: { type: 'json_schema', schema: { type: 'object', properties: { name: { type: 'string' } } } }, max_tokens: 16 }) },
  messagesObject: { body: { messages: { role: 'user', content: 'Say hello.' }, max_tokens: 16 } },
  unknownPartType: { body: { messages: [{ role: 'user', content: [{ type: 'hologram', hologram: 'Say hello.' }] }], max_tokens: 16 } },
  toolsObject: { body: chat('What is the weather in Paris?', { tools: WEATHER_TOOL, max_tokens: 16 }) },
  toolWithoutFunction: { body: chat('What is the weather in Paris?', { tools: [{ type: 'function' }], max_tokens: 16 }) },
  stopFiveStrings: { body: chat('Say hello.', { stop: ['a', 'b', 'c', 'd', 'e'], max_tokens: 16 }) },
};

const UNKNOWN_MODEL = 'oai-compat-no-such-model-7f3a';
const RECOVERY_USER = 'oai-compat-recovery';
const BAD_REQUEST = openapi('/components/responses/BadRequest');
const ERROR_ENVELOPE = contract('error');
/** An invalid request every server refuses with a 4xx: messages given as a string. */
const MESSAGES_AS_STRING: RequestSpec = { body: { messages: 'Say hello.', max_tokens: 16 } };

/**
 * The request is refused: a 4xx (400 unless `status` says otherwise; another 4xx holds leniently),
 * with the OpenAI error envelope.
 */
function refused(what: string, status = 400): Validator[] {
  return [
    (x) => {
      if (x.status === 0) return `${what}: no usable response (${x.error})`;
      if (x.status >= 200 && x.status < 300) return `${what} was accepted (HTTP ${x.status}) instead of being refused with ${status}`;
      if (x.status >= 500) return `${what} was answered with HTTP ${x.status}, a server error, instead of ${status} (a client would retry it)`;
      if (x.status < 400) return `${what} was answered with HTTP ${x.status}, not ${status}`;
    },
    errorEnvelope,
    (x) => {
      if (x.status !== status) return { lenient: `${what} was refused with HTTP ${x.status} and the error envelope, not ${status}` };
    },
  ];
}

/** The error names the parameter: in `param` (strictly) or only in the message (leniently). */
function namesParam(name: string): Validator {
  return (x, _ctx, out) => {
    const e = errorSummary(x);
    out.notes.error = e;
    const param = typeof e.param === 'string' ? e.param : '';
    if (param === name || param.startsWith(`${name}.`) || param.startsWith(`${name}[`)) return;
    if (typeof e.message === 'string' && e.message.includes(name)) return { lenient: `the error names ${show(name)} only in its message; error.param is ${show(e.param)}` };
    return `the error does not name the parameter ${show(name)}: error.param is ${show(e.param)}, error.message ${show(e.message, 160)}`;
  };
}

// Invalid requests refused with a 400 and the envelope: one row each, in report order. A row with
// several requests is one check that needs every one refused.
interface Refusal {
  id: string;
  level: Level;
  fault: string;
  ref: string;
  title: string;
  requirement: string;
  /** what was sent, for findings, and the request; or several of them */
  sent: [what: string, request: RequestSpec][];
  /** the parameter the error must name */
  names?: string;
}

const REFUSALS: Refusal[] = [
  { id: 'errors.malformed-json', level: 'MUST', fault: 'errors.accept-bad-json', ref: BAD_REQUEST, sent: [['a truncated JSON body', BAD.malformedJson]],
    title: 'A malformed JSON body is refused with 400', requirement: 'A body that is not valid JSON "must be refused with 400 and the OpenAI error envelope".' },
  { id: 'errors.missing-messages', level: 'MUST', fault: 'errors.accept-missing-messages', ref: param('messages'), sent: [['a request without messages', BAD.missingMessages]], names: 'messages',
    title: 'A request without messages is refused with 400 naming the parameter', requirement: 'A request without messages "must be refused with 400, and the error must name messages" (in param).' },
  { id: 'errors.empty-messages', level: 'SHOULD', fault: 'errors.accept-empty-messages', ref: param('messages'), sent: [['messages: []', BAD.emptyMessages]],
    title: 'An empty messages array is refused with 400', requirement: 'A request whose messages array is empty "should be refused with 400" (there is nothing to answer).' },
  { id: 'errors.invalid-role', level: 'SHOULD', fault: 'errors.accept-invalid-role', ref: param('messages'), sent: [['a message with role "robot"', BAD.invalidRole]],
    title: 'An unknown message role is refused with 400', requirement: 'A message with a role that does not exist "should be refused with 400".' },
  { id: 'errors.wrong-type', level: 'SHOULD', fault: 'errors.accept-wrong-type', ref: param('temperature'), sent: [['temperature "hot"', BAD.wrongType]],
    title: 'A parameter of the wrong type is refused with 400', requirement: 'A parameter of the wrong type (temperature "hot") "should be refused with 400".' },
  { id: 'errors.out-of-range.temperature', level: 'SHOULD', fault: 'errors.clamp-temperature', ref: param('temperature'), sent: [['temperature 5', BAD.temperature5]],
    title: 'temperature 5 is refused with 400', requirement: 'A temperature outside 0 to 2 "should be refused with 400", not clamped silently.' },
  { id: 'errors.out-of-range.top-logprobs', level: 'SHOULD', fault: 'errors.clamp-top-logprobs', ref: param('top_logprobs'), sent: [['top_logprobs 30', BAD.topLogprobs30]],
    title: 'top_logprobs 30 is refused with 400', requirement: 'A top_logprobs outside 0 to 20 "should be refused with 400", not clamped silently.' },
  { id: 'errors.tool-choice-unknown-function', level: 'SHOULD', fault: 'errors.accept-unknown-tool-choice', ref: param('tool_choice'),
    sent: [['tool_choice naming get_time with only get_weather declared', BAD.unknownToolChoice]],
    title: 'A tool_choice naming an undeclared function is refused with 400', requirement: 'A tool_choice that names a function not in tools "should be refused with 400".' },
  { id: 'errors.tool-choice-without-tools', level: 'SHOULD', fault: 'errors.accept-tool-choice-without-tools', ref: param('tool_choice'),
    sent: [['tool_choice "required" without tools', BAD.requiredWithoutTools], ['tool_choice naming get_weather without tools', BAD.namedWithoutTools]],
    title: 'A tool_choice without tools is refused with 400',
    requirement: 'A tool_choice of "required", or one naming a function, in a request without tools "should be refused with 400": there is no tool to call.' },
  { id: 'errors.invalid-tool-type', level: 'SHOULD', fault: 'errors.accept-invalid-tool-type', ref: param('tools'), sent: [['a tool of type "banana"', BAD.invalidToolType]],
    title: 'A tool of an unknown type is refused with 400', requirement: 'A tool whose type is not "function" (or another defined type) "should be refused with 400".' },
  { id: 'errors.invalid-json-schema', level: 'SHOULD', fault: 'errors.accept-invalid-json-schema', ref: param('response_format'), sent: [['a json_schema with type "objekt"', BAD.invalidJsonSchema]],
    title: 'An invalid json_schema is refused with 400',
    requirement: 'A response_format json_schema that is not a valid JSON Schema "should be refused with 400" rather than ignored (the client learns its schema is wrong).' },
  { id: 'errors.stream-options-without-stream', level: 'SHOULD', fault: 'errors.accept-stream-options', ref: param('stream_options'), sent: [['stream_options without stream: true', BAD.streamOptionsWithoutStream]],
    title: 'stream_options without stream is refused with 400', requirement: 'stream_options in a request that does not stream "should be refused with 400" (as OpenAI does).' },
];

function refusalCheck({ sent, names, ...row }: Refusal): CheckDeclaration {
  const judges = (what: string) => [...refused(what), ...(names ? [namesParam(names)] : [])];
  if (sent.length === 1) return { ...row, request: sent[0][1], validate: judges(sent[0][0]) };
  return {
    ...row,
    async run(ctx, out) {
      for (const [what, spec] of sent) {
        const x = await ctx.send(spec);
        for (const judge of judges(what)) {
          const finding = judge(x, ctx, out);
          if (finding) return finding;
        }
      }
    },
  };
}

export const errorChecks = checksOf('errors', [
  ...REFUSALS.map(refusalCheck),
  { id: 'errors.bad-input-not-5xx', level: 'MUST', fault: 'errors.server-error-for-bad-tool-type', ref: openapi('/components/responses/InternalError'),
    title: 'Invalid requests never get a server error', requirement: 'A request with a wrong shape or value "must get a 4xx (or be served), never a 5xx": a client retries a server error, and a retried mistake fails again (e.g. response_format without its json_schema wrapper, vllm-project/vllm#35438).',
    async run(ctx, out) {
      const errors: string[] = [];
      for (const [name, spec] of [...Object.entries(BAD), ...Object.entries(WRONG_SHAPES)]) {
        if (name === 'malformedJson' || name === 'badStream') continue; // judged by errors.malformed-json and errors.stream-refused-before-start
        const x = await ctx.send(spec);
        if (x.status === 0) return `${name}: no usable response (${x.error})`;
        if (x.status >= 500) errors.push(`${name} → HTTP ${x.status} (${describeRequest(x, 120)})`);
      }
      out.notes.serverErrors = errors;
      if (errors.length > 0) return `${errors.length} invalid request(s) got a server error: ${errors.join('; ')}`;
    },
  },
  { id: 'errors.context-overflow', level: 'SHOULD', fault: 'errors.context-truncated', ref: openapi('/components/responses/BadRequest'),
    title: 'A prompt longer than the context is refused with 400 before any stream starts',
    requirement: 'A prompt longer than the model\'s context "should be refused with 400 and the error envelope before any stream starts, ideally with code context_length_exceeded", never answered 200 with a silently truncated prompt (lmstudio-ai/lmstudio-bug-tracker#2322).',
    async run(ctx, out) {
      const window = await contextWindow(ctx);
      if (window instanceof Skip) return window;
      const tokens = Math.ceil(window.tokens * 1.25);
      out.notes.contextWindow = window;
      out.notes.promptTokens = tokens;
      // streamed, read as text: the refusal must come before the stream, as a JSON body
      const x = await ctx.send({ body: { messages: [{ role: 'user', content: promptOfTokens(tokens) }], stream: true, max_tokens: 16 }, stream: false });
      const what = `a prompt of about ${tokens} tokens for a context of ${window.tokens} (from ${window.from})`;
      if (x.status === 0) return `${what}: no usable response (${x.error})`;
      if (x.status >= 200 && x.status < 300) return `${what} was answered with HTTP ${x.status}: the prompt was cut or its end ignored, silently`;
      if (x.status >= 500) return `${what} was answered with HTTP ${x.status}, a server error, instead of 400`;
      const e = errorSummary(x);
      out.notes.error = e;
      const envelope = errorEnvelope(x, ctx, out);
      if (envelope) return envelope;
      if (e.code !== 'context_length_exceeded') return { lenient: `${what} was refused with HTTP ${x.status} and error.code ${show(e.code)}, not "context_length_exceeded" (clients look for that code to shorten the history)` };
    },
  },
  { id: 'errors.unknown-model.refused', level: 'SHOULD', fault: 'errors.unknown-model-served', ref: openapi('/components/responses/NotFound'),
    title: 'An unknown model is refused with a 4xx, not served', requirement: 'A request for a model that does not exist "should be refused with a 4xx and the error envelope", not answered 200 (servers with one model serve every name on purpose; clients cope) nor with a server error.',
    request: { body: chat('Say hello.', { model: UNKNOWN_MODEL, max_tokens: 16 }) }, validate: [
      (x, _ctx, out) => {
        out.notes.error = errorSummary(x);
        if (x.status === 0) return `no usable response (${x.error})`;
        if (x.status >= 200 && x.status < 300) return `model ${show(UNKNOWN_MODEL)} was served (HTTP ${x.status}${bodyOf(x).model ? `, as ${show(bodyOf(x).model)}` : ''}) instead of refused`;
        if (x.status >= 500) return `an unknown model was answered with HTTP ${x.status}, a server error, instead of a 4xx`;
        if (x.status < 400) return `an unknown model was answered with HTTP ${x.status}, not a 4xx`;
      },
      errorEnvelope,
    ],
  },
  { id: 'errors.unknown-model.404', level: 'SHOULD', fault: 'errors.unknown-model-400', ref: openapi('/components/responses/NotFound'),
    title: 'An unknown model is 404 with code model_not_found', requirement: 'A request for a model that does not exist "should be refused with 404 and error.code model_not_found" (as OpenAI does).',
    request: { body: chat('Say hello.', { model: UNKNOWN_MODEL, max_tokens: 16 }) }, validate: [
      (x, _ctx, out) => {
        const e = errorSummary(x);
        out.notes.error = e;
        if (x.status !== 404) return `an unknown model was answered with HTTP ${x.status || 'no response'}, not 404`;
        if (e.code !== 'model_not_found') return `the 404 for an unknown model has error.code ${show(e.code)}, not "model_not_found"`;
      },
    ],
  },
  { id: 'errors.envelope', level: 'MUST', fault: 'errors.envelope-flat', ref: ERROR_ENVELOPE,
    title: 'Error bodies are the OpenAI error envelope', requirement: 'An error body "must be {"error": {"message": string, "type": string, "param": string|null, "code": string|null}}".',
    request: MESSAGES_AS_STRING, validate: [
      (x) => {
        if (x.status < 400 || x.status >= 500) return `messages given as a string was answered with HTTP ${x.status || 'no response'}, not a 4xx, so there is no error body to judge`;
      },
      (x, _ctx, out) => {
        if (x.json === undefined) return `the error body is not JSON${x.jsonError ? ` (${x.jsonError})` : ''}: ${show(x.text, 160)}`;
        const e = bodyOf(x).error;
        out.notes.body = x.json;
        return envelopeFields(e, x.json);
      },
      errorEnvelope,
    ],
  },
  { id: 'errors.content-type-json', level: 'MUST', fault: 'errors.content-type-text', ref: openapi('/components/responses/BadRequest/content/application~1json'),
    title: 'Error responses are application/json', requirement: 'An error response "must be sent with content-type application/json".',
    request: MESSAGES_AS_STRING, validate: [
      (x) => {
        if (x.status < 400) return `messages given as a string was answered with HTTP ${x.status || 'no response'}, so there is no error response to judge`;
        const got = x.contentType.split(';')[0].trim().toLowerCase();
        if (got !== 'application/json') return `the ${x.status} error response has content-type ${show(x.contentType || '(none)')}, not application/json`;
      },
    ],
  },
  { id: 'errors.stream-refused-before-start', level: 'SHOULD', fault: 'errors.stream-error-in-band', ref: param('stream'),
    title: 'An invalid streaming request fails before the stream starts', requirement: 'An invalid request with stream: true "should be refused with a 4xx JSON error", not a 200 event stream that carries an error event.',
    request: BAD.badStream, validate: [
      (x, _ctx, out) => {
        out.notes.contentType = x.contentType;
        if (x.status === 0) return `no usable response (${x.error})`;
        if (x.status === 200 && x.contentType.includes('text/event-stream')) {
          return /data:\s*\{"error"/.test(x.text)
            ? 'the invalid streaming request (temperature 5) got a 200 event stream carrying an error event: a client cannot tell the failure from the status'
            : 'the invalid streaming request (temperature 5) was accepted as a 200 event stream';
        }
        if (x.status < 400 || x.status >= 500) return `the invalid streaming request (temperature 5) was answered with HTTP ${x.status}, not a 4xx`;
        if (x.json === undefined) return `the ${x.status} refusal of a streaming request is not a JSON body (content-type ${show(x.contentType)}): ${show(x.text, 120)}`;
      },
      errorEnvelope,
    ],
  },
  { id: 'errors.recovers-after-400', level: 'MUST', fault: 'errors.poison-after-400', ref: BAD_REQUEST,
    title: 'After a 400, the next valid request succeeds', requirement: 'After refusing an invalid request, the server "must answer the next valid request normally".',
    async run(ctx, out): Promise<Finding | undefined> {
      // A request every server refuses (no messages), then a valid one; one user id ties them together
      // (and keeps a poisoning fault away from other checks).
      const bad = await ctx.send({ body: { max_tokens: 16, user: RECOVERY_USER } }, { fresh: true });
      out.notes.first = errorSummary(bad);
      if (bad.status === 0) return `the invalid request got no usable response (${bad.error})`;
      if (bad.status < 400 || bad.status >= 500) return prerequisite(`a request without messages was answered with HTTP ${bad.status}, not a 4xx`, 'errors.missing-messages');
      const next = await ctx.send({ body: chat('Say hello in five words.', { max_tokens: 16, user: RECOVERY_USER }) }, { fresh: true });
      return unanswered(next, `the valid request after a ${bad.status}`);
    },
  },
]);

/** The fields of an error object as OpenAI sends them; absent param or code holds leniently. */
function envelopeFields(e: unknown, body: unknown): Finding | undefined {
  if (typeof e === 'string') return `error is a string (${show(e, 100)}), not an object with message and type: the OpenAI SDKs lose the message`;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return `the body has no error object: ${show(body, 160)}`;
  const err = e as Record<string, unknown>;
  if (typeof err.message !== 'string' || err.message === '') return `error.message is ${show(err.message)}, not a non-empty string`;
  if (typeof err.type !== 'string') return `error.type is ${show(err.type)}, not a string`;
  for (const field of ['param', 'code']) {
    if (!(field in err)) return { lenient: `error.${field} is absent (OpenAI always sends it, null when empty)` };
    if (err[field] !== null && typeof err[field] !== 'string') return `error.${field} is ${show(err[field])}, not a string or null`;
  }
}
