// Where a check's requirement comes from (its `ref`): a section of the OpenAI API reference, a JSON
// pointer into the project's contract (schemas/, openapi/), or the SSE specification.
// suites/checks/refs.test.ts resolves every contract pointer.

const API = 'https://platform.openai.com/docs/api-reference';

/** A request parameter of POST /chat/completions. */
export function param(name: string): string {
  return `${API}/chat/create#chat-create-${name}`;
}

export const CHAT_OBJECT = `${API}/chat/object`;
export const CHAT_STREAMING = `${API}/chat/streaming`;
export const MODELS_LIST = `${API}/models/list`;
export const MODELS_RETRIEVE = `${API}/models/retrieve`;
export const AUTHENTICATION = `${API}/authentication`;

/** A contract schema, or a node of it: schema('usage', '/properties/total_tokens'). */
export function schema(name: string, pointer?: string): string {
  return `schemas/${name}.schema.json${pointer ? `#${pointer}` : ''}`;
}

/** A field of the non-streamed message (ChatCompletionMessage). */
export function messageField(name: string): string {
  return schema('chat-completion', `/definitions/ChatCompletionMessage/properties/${name}`);
}

/** A field of a streamed delta (ChatCompletionChunkDelta). */
export function deltaField(name: string): string {
  return schema('chat-completion-chunk', `/definitions/ChatCompletionChunkDelta/properties/${name}`);
}

/** A node of openapi/openapi.yaml (a JSON pointer: "/" in a key is written "~1"). */
export function openapi(pointer: string): string {
  return `openapi/openapi.yaml#${pointer}`;
}

export const CHAT_PATH = openapi('/paths/~1chat~1completions/post');
export const STREAM_RESPONSE = openapi('/paths/~1chat~1completions/post/responses/200/content/text~1event-stream');

/** The text/event-stream media type, as the HTML standard registers it. */
export const EVENT_STREAM_TYPE = 'https://html.spec.whatwg.org/multipage/iana.html#text/event-stream';

/** A section of the HTML standard's server-sent events chapter. */
export function sse(anchor: string): string {
  return `https://html.spec.whatwg.org/multipage/server-sent-events.html#${anchor}`;
}
