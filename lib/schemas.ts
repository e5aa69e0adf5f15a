// The contract's schemas (schemas/*.schema.json) as data: JSON modules Node loads and the mock's
// browser bundle inlines, so nothing here reads a file. lib/validate.ts compiles them.
import type { AnySchemaObject } from 'ajv/dist/2020.js';
import chatCompletionChunkSchema from '../schemas/chat-completion-chunk.schema.json' with { type: 'json' };
import chatCompletionRequestSchema from '../schemas/chat-completion-request.schema.json' with { type: 'json' };
import chatCompletionSchema from '../schemas/chat-completion.schema.json' with { type: 'json' };
import contentPartSchema from '../schemas/content-part.schema.json' with { type: 'json' };
import errorSchema from '../schemas/error.schema.json' with { type: 'json' };
import fixtureSchema from '../schemas/fixture.schema.json' with { type: 'json' };
import logprobsSchema from '../schemas/logprobs.schema.json' with { type: 'json' };
import messageSchema from '../schemas/message.schema.json' with { type: 'json' };
import modelListSchema from '../schemas/model-list.schema.json' with { type: 'json' };
import modelSchema from '../schemas/model.schema.json' with { type: 'json' };
import profileSchema from '../schemas/profile.schema.json' with { type: 'json' };
import toolCallDeltaSchema from '../schemas/tool-call-delta.schema.json' with { type: 'json' };
import toolCallSchema from '../schemas/tool-call.schema.json' with { type: 'json' };
import toolChoiceSchema from '../schemas/tool-choice.schema.json' with { type: 'json' };
import toolSchema from '../schemas/tool.schema.json' with { type: 'json' };
import usageSchema from '../schemas/usage.schema.json' with { type: 'json' };

export const SCHEMA_NAMES = [
  'chat-completion-request',
  'message',
  'content-part',
  'tool',
  'tool-choice',
  'tool-call',
  'tool-call-delta',
  'chat-completion',
  'chat-completion-chunk',
  'usage',
  'logprobs',
  'error',
  'model',
  'model-list',
] as const;

export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The directory holding the *.schema.json files ('' outside Node: the browser bundle has no files). */
export const schemaDir: string = nodeSchemaDir();

function nodeSchemaDir(): string {
  // process.getBuiltinModule, not an import of node:url: this module also runs in a browser
  const url = globalThis.process?.getBuiltinModule?.('node:url');
  return url ? url.fileURLToPath(new URL('../schemas/', import.meta.url)) : '';
}

export const SCHEMA_BASE = 'https://oai-compat.dev/schemas/';

/** The `$id` of each schema. */
export const schemaIds: Readonly<Record<SchemaName, string>> = Object.freeze(
  Object.fromEntries(SCHEMA_NAMES.map((n) => [n, `${SCHEMA_BASE}${n}.schema.json`])) as Record<SchemaName, string>,
);

/** The contract's schemas as imported, by name. */
const IMPORTED: Record<SchemaName, unknown> = {
  'chat-completion-request': chatCompletionRequestSchema,
  message: messageSchema,
  'content-part': contentPartSchema,
  tool: toolSchema,
  'tool-choice': toolChoiceSchema,
  'tool-call': toolCallSchema,
  'tool-call-delta': toolCallDeltaSchema,
  'chat-completion': chatCompletionSchema,
  'chat-completion-chunk': chatCompletionChunkSchema,
  usage: usageSchema,
  logprobs: logprobsSchema,
  error: errorSchema,
  model: modelSchema,
  'model-list': modelListSchema,
};

/** The contract's schemas by name, each checked to carry its `$id` (shared objects: do not change them). */
export function contractSchemas(): Record<SchemaName, AnySchemaObject> {
  const out = {} as Record<SchemaName, AnySchemaObject>;
  for (const name of SCHEMA_NAMES) {
    const schema = IMPORTED[name] as AnySchemaObject;
    if (schema.$id !== schemaIds[name]) {
      throw new Error(`schemas/${name}.schema.json: $id must be ${schemaIds[name]}, found ${String(schema.$id)}`);
    }
    out[name] = schema;
  }
  return out;
}

/** A fresh copy of every schema, keyed by name (for tools that want to register them elsewhere). */
export function loadSchemas(): Record<SchemaName, AnySchemaObject> {
  return structuredClone(contractSchemas());
}

// Published beside the contract but not part of it: the capability profile configures the suite, the
// fixture format describes the mock's scenarios (so fixtures can be written and checked from any language).
export const PROFILE_SCHEMA_ID = `${SCHEMA_BASE}profile.schema.json`;
export const FIXTURE_SCHEMA_ID = `${SCHEMA_BASE}fixture.schema.json`;
export { profileSchema, fixtureSchema };

