// Every schema's examples, by schema name.
import type { SchemaName } from '../../lib/schemas.ts';
import type { Examples } from './types.ts';
import { examples as chatCompletionRequest } from './chat-completion-request.examples.ts';
import { examples as message } from './message.examples.ts';
import { examples as contentPart } from './content-part.examples.ts';
import { examples as tool } from './tool.examples.ts';
import { examples as toolChoice } from './tool-choice.examples.ts';
import { examples as toolCall } from './tool-call.examples.ts';
import { examples as toolCallDelta } from './tool-call-delta.examples.ts';
import { examples as chatCompletion } from './chat-completion.examples.ts';
import { examples as chatCompletionChunk } from './chat-completion-chunk.examples.ts';
import { examples as usage } from './usage.examples.ts';
import { examples as logprobs } from './logprobs.examples.ts';
import { examples as error } from './error.examples.ts';
import { examples as model } from './model.examples.ts';
import { examples as modelList } from './model-list.examples.ts';

export type { Examples, InvalidExample } from './types.ts';

export const examplesBySchema: Record<SchemaName, Examples> = {
  'chat-completion-request': chatCompletionRequest,
  message,
  'content-part': contentPart,
  tool,
  'tool-choice': toolChoice,
  'tool-call': toolCall,
  'tool-call-delta': toolCallDelta,
  'chat-completion': chatCompletion,
  'chat-completion-chunk': chatCompletionChunk,
  usage,
  logprobs,
  error,
  model,
  'model-list': modelList,
};
