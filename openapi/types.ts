// Handy names for the types generated from the contract (openapi/types.gen.ts, `npm run gen:types`).
// Import from here, not from types.gen.ts: the generated names of sub-schemas follow the bundler.
import type { components } from './types.gen.ts';

export type { components, operations, paths } from './types.gen.ts';

type S = components['schemas'];

// requests
export type ChatCompletionRequest = S['ChatCompletionRequest'];
export type Message = S['Message'];
export type SystemMessage = S['SystemMessage'];
export type DeveloperMessage = S['DeveloperMessage'];
export type UserMessage = S['UserMessage'];
export type AssistantMessage = S['AssistantMessage'];
export type ToolMessage = S['ToolMessage'];
export type Role = Message['role'];
export type ContentPart = S['ContentPart'];
export type TextContentPart = S['TextContentPart'];
export type ImageUrlContentPart = S['ImageUrlContentPart'];
export type InputAudioContentPart = S['InputAudioContentPart'];
export type FileContentPart = S['FileContentPart'];
export type RefusalContentPart = S['RefusalContentPart'];
export type Tool = S['Tool'];
export type ToolChoice = S['ToolChoice'];
export type ResponseFormat = NonNullable<ChatCompletionRequest['response_format']>;
export type ResponseFormatJsonSchema = S['ResponseFormatJsonSchema'];
export type StreamOptions = NonNullable<ChatCompletionRequest['stream_options']>;

// responses
export type ChatCompletion = S['ChatCompletion'];
export type ChatCompletionChoice = S['ChatCompletionChoice'];
export type ChatCompletionMessage = S['ChatCompletionMessage'];
export type FinishReason = ChatCompletionChoice['finish_reason'];
export type ToolCall = S['ToolCall'];
export type ChatCompletionChunk = S['ChatCompletionChunk'];
export type ChatCompletionChunkChoice = S['ChatCompletionChunkChoice'];
export type ChatCompletionChunkDelta = S['ChatCompletionChunkDelta'];
export type ToolCallDelta = S['ToolCallDelta'];
export type Usage = S['Usage'];
export type Logprobs = S['Logprobs'];
export type TokenLogprob = S['TokenLogprob'];
export type TopLogprob = S['TopLogprob'];
export type ErrorEnvelope = S['ErrorEnvelope'];
export type ErrorObject = ErrorEnvelope['error'];
export type Model = S['Model'];
export type ModelList = S['ModelList'];
export type Health = S['Health'];

/** The type of each schema file, by the name lib/validate.ts uses (`validate(name, data)`). */
export interface SchemaTypes {
  'chat-completion-request': ChatCompletionRequest;
  message: Message;
  'content-part': ContentPart;
  tool: Tool;
  'tool-choice': ToolChoice;
  'tool-call': ToolCall;
  'tool-call-delta': ToolCallDelta;
  'chat-completion': ChatCompletion;
  'chat-completion-chunk': ChatCompletionChunk;
  usage: Usage;
  logprobs: Logprobs;
  error: ErrorEnvelope;
  model: Model;
  'model-list': ModelList;
}
