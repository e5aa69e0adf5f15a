// Structured output: response_format json_object and json_schema (non-streamed and streamed),
// strict schemas, an effect probe with const/enum, and the shape of a refusal.
import { isObject } from '../../lib/json.ts';
import { messageOf } from './support/completion.ts';
import { completion, parsedStream, cutBeforeJson, prerequisite } from './support/gates.ts';
import { messageField, param } from './support/refs.ts';
import { streamChoice } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { requestSchemaProblems } from './support/validators.ts';
import { checksOf, type Exchange, type Finding, type RequestSpec, type Validator } from './types.ts';

const FACTS_SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    country: { type: 'string' },
    population: { type: 'integer' },
    landmarks: { type: 'array', items: { type: 'string' } },
  },
  required: ['city', 'country', 'population', 'landmarks'],
  additionalProperties: false,
};

const RESPONSE_FORMAT = param('response_format');

const FACTS_PROMPT = 'Give facts about Paris as JSON: the city, its country, its population and three landmarks.';

function schemaRequest(extra: Record<string, unknown> = {}, strict?: boolean): RequestSpec {
  return {
    body: {
      messages: [{ role: 'user', content: FACTS_PROMPT }],
      response_format: { type: 'json_schema', json_schema: { name: 'city_facts', schema: FACTS_SCHEMA, ...(strict === undefined ? {} : { strict }) } },
      max_tokens: 256,
      ...extra,
    },
  };
}

const JSON_OBJECT: RequestSpec = {
  body: {
    messages: [{ role: 'user', content: 'Reply with a JSON object with the keys "greeting" and "language" for a French greeting.' }],
    response_format: { type: 'json_object' },
    max_tokens: 128,
  },
};
const SCHEMA = schemaRequest();
const SCHEMA_STREAM = schemaRequest({ stream: true });
const SCHEMA_STRICT = schemaRequest({}, true);

const PROBE_SCHEMA = {
  type: 'object',
  properties: {
    marker: { type: 'string', const: 'oai-compat-probe-7f3a' },
    colour: { type: 'string', enum: ['teal', 'mauve', 'ochre'] },
    note: { type: 'string' },
  },
  required: ['marker', 'colour', 'note'],
  additionalProperties: false,
};
const PROBE: RequestSpec = {
  body: {
    messages: [{ role: 'user', content: 'Fill in this JSON object with a short note about the sea.' }],
    response_format: { type: 'json_schema', json_schema: { name: 'probe', schema: PROBE_SCHEMA } },
    max_tokens: 128,
  },
};

/** The JSON a non-stream answer's content holds, or the problem. */
function parsedContent(x: Exchange): { value: unknown; text: string } | { problem: string } {
  const content = messageOf(x)?.content;
  if (typeof content !== 'string') return { problem: `choices[0].message.content is ${show(content)}, not a string` };
  return parseText(content, 'choices[0].message.content');
}

/** A content that does not parse: inconclusive when a max_tokens cut explains it, else the problem. */
function unparsed(x: Exchange, problem: string): Finding {
  const content = x.sse ? (streamChoice(x)?.content ?? '') : messageOf(x)?.content;
  return cutBeforeJson(x, content) ?? problem;
}

function parseText(text: string, where: string): { value: unknown; text: string } | { problem: string } {
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    const hint = /^\s*```/.test(text) ? ' (it is wrapped in a markdown code fence)' : '';
    return { problem: `${where} is not JSON${hint}: ${(error as Error).message}; content ${show(text, 120)}` };
  }
}

function requestSchema(x: Exchange): unknown {
  return (x.request.body as any)?.response_format?.json_schema?.schema;
}

/** The content parses as a JSON object. */
const contentIsObject: Validator = (x, _ctx, out) => {
  const got = parsedContent(x);
  if ('problem' in got) return unparsed(x, got.problem);
  out.notes.content = got.value;
  if (!isObject(got.value)) return `choices[0].message.content parses to ${show(got.value)}, not a JSON object`;
};

/** The content validates against the request's schema (a skip when it does not parse). */
const contentValidates: Validator = (x, _ctx, out) => {
  const got = parsedContent(x);
  if ('problem' in got) return prerequisite(got.problem, 'structured.json-schema.parses');
  out.notes.content = got.value;
  const problems = requestSchemaProblems(requestSchema(x), got.value);
  if (problems.length > 0) return `choices[0].message.content ${show(got.value, 200)} does not validate against the json_schema sent: ${problems.join('; ')}`;
};

/** The streamed content deltas of choice 0, concatenated. */
function streamedJson(x: Exchange): { value: unknown; text: string } | { problem: string } {
  const choice = streamChoice(x);
  if (!choice || choice.contentPieces.length === 0) return { problem: 'the stream carried no content deltas for choice 0' };
  return parseText(choice.content, `the concatenated content of ${choice.contentPieces.length} deltas`);
}

export const structuredOutputChecks = checksOf('structured-output', [
  { id: 'structured.json-object', level: 'MUST', fault: 'structured.json-fenced', ref: RESPONSE_FORMAT,
    title: 'response_format json_object yields content that parses as a JSON object', requirement: 'With response_format {"type":"json_object"}, message.content "must be a JSON object" (parseable as it is, no code fences).',
    request: JSON_OBJECT, validate: completion(contentIsObject),
  },
  { id: 'structured.json-schema.parses', level: 'MUST', fault: 'structured.truncated-json', ref: RESPONSE_FORMAT,
    title: 'response_format json_schema yields content that parses as JSON', requirement: 'With response_format json_schema, message.content "must be JSON".',
    request: SCHEMA, validate: completion(contentIsObject),
  },
  { id: 'structured.json-schema.validates', level: 'SHOULD', fault: 'structured.schema-violated', ref: RESPONSE_FORMAT, dependsOnModel: true,
    title: 'json_schema content validates against the schema sent', requirement: 'With response_format json_schema (not strict), the parsed content "should validate against the schema sent"; without strict the model chooses, so it is a rate over REPEAT.',
    request: SCHEMA, validate: completion(contentValidates),
  },
  { id: 'structured.stream.parses', level: 'MUST', fault: 'structured.stream-delta-dropped', ref: RESPONSE_FORMAT,
    title: 'Streamed json_schema deltas concatenate to JSON', requirement: 'With response_format json_schema and stream: true, the content deltas concatenated "must be JSON".',
    request: SCHEMA_STREAM, validate: parsedStream((x, _ctx, out) => {
      const got = streamedJson(x);
      if ('problem' in got) return unparsed(x, got.problem);
      out.notes.content = got.value;
      if (!isObject(got.value)) return `the concatenated content parses to ${show(got.value)}, not a JSON object`;
    }),
  },
  { id: 'structured.stream.validates', level: 'SHOULD', fault: 'structured.stream-schema-violated', ref: RESPONSE_FORMAT, dependsOnModel: true,
    title: 'Streamed json_schema content validates against the schema sent', requirement: 'With response_format json_schema (not strict) and stream: true, the concatenated content "should validate against the schema sent"; a rate over REPEAT.',
    request: SCHEMA_STREAM, validate: parsedStream((x, _ctx, out) => {
      const got = streamedJson(x);
      if ('problem' in got) return prerequisite(got.problem, 'structured.stream.parses');
      out.notes.content = got.value;
      const problems = requestSchemaProblems(requestSchema(x), got.value);
      if (problems.length > 0) return `the concatenated streamed content ${show(got.value, 200)} does not validate against the json_schema sent: ${problems.join('; ')}`;
    }),
  },
  { id: 'structured.strict', level: 'MUST', fault: 'structured.strict-extra-property', ref: RESPONSE_FORMAT,
    title: 'A strict json_schema is accepted and obeyed exactly', requirement: 'A json_schema with strict: true "must be accepted, and the content must match it exactly" (no extra properties); accepted but not enforced is IGNORED.',
    request: SCHEMA_STRICT, validate: completion(
      contentIsObject,
      (x, ctx, out) => {
        const invalid = contentValidates(x, ctx, out);
        return typeof invalid === 'string' ? { ignored: `strict: true was accepted but not enforced: ${invalid}` } : invalid;
      },
    ),
  },
  { id: 'structured.const-enum-obeyed', level: 'SHOULD', fault: 'structured.const-enum-ignored', ref: RESPONSE_FORMAT,
    title: 'Effect probe: const and enum in a json_schema are obeyed', requirement: 'A json_schema with const and enum keywords "should constrain the content to those values" (content that parses but ignores them means the schema was not enforced).',
    request: PROBE, validate: completion((x, _ctx, out): Finding | undefined => {
      const got = parsedContent(x);
      if ('problem' in got) return prerequisite(got.problem, 'structured.json-schema.parses');
      out.notes.content = got.value;
      const c = got.value as Record<string, unknown>;
      const ignored: string[] = [];
      if (!isObject(c) || c.marker !== 'oai-compat-probe-7f3a') ignored.push(`"marker" is ${show(isObject(c) ? c.marker : c)}, not the const "oai-compat-probe-7f3a"`);
      if (!isObject(c) || !['teal', 'mauve', 'ochre'].includes(c.colour as string)) ignored.push(`"colour" is ${show(isObject(c) ? c.colour : c)}, not one of the enum teal|mauve|ochre`);
      if (ignored.length > 0) return { ignored: `the content parses but ignores the schema: ${ignored.join('; ')}` };
      const problems = requestSchemaProblems(PROBE_SCHEMA, got.value);
      if (problems.length > 0) return `the content obeys const and enum but does not validate: ${problems.join('; ')}`;
    }),
  },
  { id: 'structured.refusal-shape', level: 'MUST', fault: 'structured.refusal-wrong-shape', ref: messageField('refusal'),
    title: 'A refusal, when present, is a string with content null', requirement: 'When message.refusal is present and not null, it "must be a string, and message.content must be null".',
    request: SCHEMA, validate: completion((x, _ctx, out) => {
      const message = messageOf(x);
      if (!message) return `the body has no choices[0].message: ${show(x.json)}`;
      const refusal = message.refusal;
      if (refusal === undefined || refusal === null || refusal === '') {
        out.notes.refused = false;
        return undefined;
      }
      out.notes.refused = true;
      if (typeof refusal !== 'string') return `choices[0].message.refusal is ${show(refusal)}, not a string`;
      if (message.content !== null && message.content !== undefined) return `choices[0].message.refusal is set (${show(refusal, 80)}) but content is ${show(message.content, 80)}, not null`;
    }),
  },
]);
