// The checks a chat request passes before it is answered: body size, JSON, the contract (the
// request schema), then what a schema cannot say (cross-field rules). Each returns a Refusal or null.
import { isUtf8 } from 'node:buffer';
import { issueToParam, validate } from '../lib/validate.ts';
import { countPromptTokens } from './conversation.ts';
import { CONTEXT_WINDOW } from './models.ts';
import { refusal } from './respond.ts';
import { schemaProblem } from './schema-gen.ts';
import type { ChatRequest, Refusal } from './types.ts';
import { isObject } from '../lib/json.ts';

export function checkBodySize(body: Uint8Array, headers: Record<string, string>, limit: number): Refusal | null {
  const declared = Number(headers['content-length']);
  if (body.byteLength > limit || (Number.isFinite(declared) && declared > limit)) {
    return refusal(
      413,
      `The request body is too large: the limit is ${limit} bytes.`,
      'invalid_request_error',
      null,
      'request_too_large',
      'body-size',
    );
  }
  return null;
}

/** OpenAI's own words for a body that is not JSON: they name no position, so neither does the mock. */
const NOT_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)";

/** Parse the body as JSON (any value: the contract check judges its shape), or refuse it as OpenAI does. */
export function parseJsonBody(body: Uint8Array): { ok: true; value: unknown } | { ok: false; refusal: Refusal } {
  if (isUtf8(body)) {
    try {
      return { ok: true, value: JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) };
    } catch {
      // refused below
    }
  }
  return { ok: false, refusal: refusal(400, NOT_JSON, 'invalid_request_error', null, null, 'json') };
}

const CODE_BY_KEYWORD: Record<string, string> = {
  required: 'missing_required_parameter',
  type: 'invalid_type',
  enum: 'invalid_value',
  const: 'invalid_value',
  additionalProperties: 'unknown_parameter',
  unevaluatedProperties: 'unknown_parameter',
};

/** Validate against the contract's request schema. Extra top-level fields are accepted. */
export function checkContract(request: unknown): Refusal | null {
  const result = validate('chat-completion-request', request);
  if (result.ok) return null;
  const issues = result.errors.filter(
    (i) => !((i.keyword === 'additionalProperties' || i.keyword === 'unevaluatedProperties') && (i.path === '' || i.path === '/')),
  );
  if (issues.length === 0) return null;
  // prefer the deepest issue of the first path (a oneOf's branch errors say more than the oneOf)
  const first = issues[0];
  let param = issueToParam(first.path);
  if (first.keyword === 'required') {
    const missing = /'([^']+)'|"([^"]+)"/.exec(first.message);
    const name = missing?.[1] ?? missing?.[2];
    if (name && !param.endsWith(name)) param = param ? `${param}.${name}` : name;
  }
  if (!param) param = first.path ? issueToParam(first.path) : '';
  const where = param ? `'${param}'` : 'the request body';
  const code = CODE_BY_KEYWORD[first.keyword] ?? 'invalid_value';
  const message =
    first.keyword === 'required'
      ? `Missing required parameter: ${where}.`
      : `Invalid value for ${where}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''}.`;
  return refusal(400, message, 'invalid_request_error', param || null, code, 'contract');
}


function bad(message: string, param: string | null, code: string | null = 'invalid_value'): Refusal {
  return refusal(400, message, 'invalid_request_error', param, code, 'semantic');
}

/** A prompt and completion that do not fit the mock's context: refused before any answer, as OpenAI does. */
export function contextOverflow(req: ChatRequest): Refusal | null {
  const prompt = countPromptTokens(req);
  const limit = req.max_completion_tokens ?? req.max_tokens;
  const completion = Number.isInteger(limit) && limit > 0 ? limit : 0;
  if (prompt + completion <= CONTEXT_WINDOW) return null;
  return bad(
    `This model's maximum context length is ${CONTEXT_WINDOW} tokens. However, you requested ${prompt + completion} tokens (${prompt} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`,
    'messages',
    'context_length_exceeded',
  );
}

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*$/i;

/** Rules across fields that the schema cannot express. */
export function checkSemantics(req: ChatRequest): Refusal | null {
  if (!isObject(req)) return null;
  const tools: any[] = Array.isArray(req.tools) ? req.tools : [];
  const choice = req.tool_choice;
  if (choice !== undefined && choice !== null) {
    if (isObject(choice)) {
      const name = choice.function?.name ?? choice.custom?.name ?? choice.name;
      const names = tools.map((t) => t?.function?.name ?? t?.custom?.name).filter((n) => typeof n === 'string');
      if (tools.length === 0) {
        return bad("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'tool_choice');
      }
      if (typeof name === 'string' && !names.includes(name)) {
        return bad(
          `Invalid value for 'tool_choice': the function '${name}' named in tool_choice is not one of the tools (${names.map((n) => `'${n}'`).join(', ')}).`,
          'tool_choice',
        );
      }
    } else if (choice === 'required' && tools.length === 0) {
      return bad("Invalid value for 'tool_choice': 'required' is only allowed when 'tools' are specified.", 'tool_choice');
    }
  }
  if (req.stream_options !== undefined && req.stream_options !== null && req.stream !== true) {
    return bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
  }
  if (req.top_logprobs !== undefined && req.top_logprobs !== null && req.logprobs !== true) {
    return bad("Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.", 'top_logprobs');
  }
  const rf = req.response_format;
  if (isObject(rf) && rf.type === 'json_schema') {
    const js = rf.json_schema;
    if (!isObject(js)) return bad("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema', 'missing_required_parameter');
    if ('schema' in js) {
      const problem = schemaProblem(js.schema);
      if (problem) {
        return bad(
          `Invalid schema for response_format '${typeof js.name === 'string' ? js.name : 'schema'}': ${problem}.`,
          'response_format.json_schema.schema',
          'invalid_json_schema',
        );
      }
    }
  }
  for (const [i, tool] of tools.entries()) {
    const params = tool?.function?.parameters;
    if (params !== undefined && params !== null) {
      const problem = schemaProblem(params);
      if (problem) {
        return bad(`Invalid schema for function '${tool.function.name}': ${problem}.`, `tools[${i}].function.parameters`, 'invalid_function_parameters');
      }
    }
  }
  const overflow = contextOverflow(req);
  if (overflow) return overflow;
  if (Array.isArray(req.messages)) {
    for (const [i, m] of req.messages.entries()) {
      if (!isObject(m) || !Array.isArray(m.content)) continue;
      for (const [j, part] of m.content.entries()) {
        if (!isObject(part) || part.type !== 'image_url') continue;
        const url = isObject(part.image_url) ? part.image_url.url : undefined;
        if (typeof url !== 'string') continue;
        if (url.startsWith('data:') ? !DATA_IMAGE.test(url) : !/^https?:\/\/[^\s/]+/i.test(url)) {
          return bad(
            `Invalid image URL: expected an https URL or a base64-encoded data URL with an image MIME type (data:image/png;base64,...).`,
            `messages[${i}].content[${j}].image_url.url`,
            'invalid_image_url',
          );
        }
      }
    }
  }
  return null;
}
