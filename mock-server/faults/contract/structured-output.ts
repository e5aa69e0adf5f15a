// Faults for suites/checks/structured-output.ts: JSON fenced or cut, schemas not obeyed (non-strict,
// strict, const/enum), streamed deltas lost, a refusal of the wrong shape.
import type { ChatRequest, Completion } from '../../types.ts';
import { contentDeltas, dropLastKey, isObject, onChunks, onMessage, parseObject, type ContractFault, type Json } from './helpers.ts';

function formatType(req: ChatRequest): string | undefined {
  return isObject(req?.response_format) ? req.response_format.type : undefined;
}

function schemaStrict(req: ChatRequest): boolean {
  return req?.response_format?.json_schema?.strict === true;
}

/** A completion hook that edits answers to requests that `when` selects. */
function answersTo(when: (req: ChatRequest) => boolean, edit: (c: Completion) => Completion): ContractFault['completion'] {
  return (c, ctx) => (when(ctx.request) ? edit(c) : c);
}

/** An events hook that edits the content deltas of json_schema streams. */
function schemaDeltas(edit: (deltas: Json[]) => void): ContractFault['events'] {
  return (events, ctx) => (formatType(ctx.request) === 'json_schema' ? onChunks(events, (chunks) => edit(contentDeltas(chunks))) : events);
}

const jsonObject = (req: ChatRequest) => formatType(req) === 'json_object';
const nonStrictSchema = (req: ChatRequest) => formatType(req) === 'json_schema' && !schemaStrict(req);
const strictSchema = (req: ChatRequest) => formatType(req) === 'json_schema' && schemaStrict(req);

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

export const structuredFaults: ContractFault[] = [
  {
    id: 'structured.json-fenced',
    description: 'With response_format json_object, the JSON content is wrapped in a markdown code fence (non-stream).',
    completion: answersTo(jsonObject, (c) => onMessage(c, (m) => (m.content = `\`\`\`json\n${m.content}\n\`\`\``))),
  },
  {
    id: 'structured.truncated-json',
    description: 'With a non-strict json_schema, the content is cut in the middle, so it is not JSON (non-stream).',
    completion: answersTo(nonStrictSchema, (c) =>
      onMessage(c, (m) => typeof m.content === 'string' && m.content.length > 1 && (m.content = m.content.slice(0, Math.ceil(m.content.length / 2)))),
    ),
  },
  {
    id: 'structured.schema-violated',
    description: 'With a non-strict json_schema, the content is JSON but misses a required property (its last one) (non-stream).',
    completion: answersTo(nonStrictSchema, (c) => onJsonContent(c, (v) => JSON.stringify(dropLastKey(v)))),
  },
  {
    id: 'structured.stream-delta-dropped',
    description: 'A streamed json_schema answer loses one content delta in the middle, so the deltas do not concatenate to JSON.',
    events: schemaDeltas((deltas) => {
      if (deltas.length >= 3) deltas[Math.floor(deltas.length / 2)].content = '';
      else if (deltas.length > 0) deltas[deltas.length - 1].content = deltas[deltas.length - 1].content.slice(0, -1);
    }),
  },
  {
    id: 'structured.stream-schema-violated',
    description: 'A streamed json_schema answer is JSON but misses a required property (its last one).',
    events: schemaDeltas((deltas) => {
      const value = parseObject(deltas.map((d) => d.content).join(''));
      if (!value || deltas.length === 0) return;
      const text = JSON.stringify(dropLastKey(value));
      const size = Math.ceil(text.length / deltas.length);
      deltas.forEach((d, i) => (d.content = text.slice(i * size, (i + 1) * size)));
    }),
  },
  {
    id: 'structured.strict-extra-property',
    description: 'A strict json_schema is accepted but not enforced: the content carries an extra, undeclared property (non-stream).',
    completion: answersTo(strictSchema, (c) => onJsonContent(c, (v) => JSON.stringify({ ...v, extra_note: 'undeclared' }))),
  },
  {
    id: 'structured.const-enum-ignored',
    description: 'const and enum keywords of a json_schema are not enforced (the schema is used without them).',
    request: (req) => {
      const js = req.response_format?.json_schema;
      if (formatType(req) !== 'json_schema' || !isObject(js) || !hasConstEnum(js.schema)) return req;
      return { ...req, response_format: { ...req.response_format, json_schema: { ...js, schema: stripConstEnum(js.schema) } } };
    },
  },
  {
    id: 'structured.refusal-wrong-shape',
    description: 'A non-strict json_schema answer carries a refusal as an object, alongside non-null content (non-stream).',
    completion: answersTo(nonStrictSchema, (c) => onMessage(c, (m) => (m.refusal = { message: "I'm sorry, I can't help with that." }))),
  },
];
