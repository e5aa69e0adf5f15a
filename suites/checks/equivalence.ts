// Stream/non-stream equivalence: at temperature 0 with a seed, the same request streamed and not
// streamed should assemble to the same answer (lib/assemble.ts is the reference assembler).
import { isDeepStrictEqual } from 'node:util';
import { assembleCompletion, assembleStream, type Assembled } from '../../lib/assemble.ts';
import { prerequisite, sendAccepted } from './support/gates.ts';
import { param } from './support/refs.ts';
import { chat, namedToolBody } from './support/requests.ts';
import { eventsBeforeDone } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { checksOf, type CheckContext, type Finding, type RequestSpec } from './types.ts';

const TEXT_BODY = chat('Write one sentence about the sea.', { temperature: 0, seed: 7, max_tokens: 48 });
const TEXT: RequestSpec = { body: TEXT_BODY };
const TEXT_STREAM: RequestSpec = { body: { ...TEXT_BODY, stream: true, stream_options: { include_usage: true } } };
const TOOL: RequestSpec = { body: namedToolBody({ temperature: 0, seed: 7 }) };
const TOOL_STREAM: RequestSpec = { body: namedToolBody({ temperature: 0, seed: 7, stream: true }) };

const STREAM = param('stream');

type Pair = { plain: Assembled; streamed: Assembled };

/** Send both forms and assemble them; a finding when either cannot be judged. */
async function pair(ctx: CheckContext, plain: RequestSpec, streamed: RequestSpec, fresh: boolean): Promise<Pair | { finding: Finding }> {
  const a = await sendAccepted(ctx, plain, 'equivalence', { fresh });
  if ('finding' in a) return a;
  const b = await sendAccepted(ctx, streamed, 'streaming', { fresh });
  if ('finding' in b) return { finding: typeof b.finding === 'string' ? { skip: `the streamed request failed: ${b.finding}` } : b.finding };
  try {
    return { plain: assembleCompletion(a.x.json, { status: a.x.status }), streamed: assembleStream(eventsBeforeDone(b.x), { status: b.x.status }) };
  } catch (error) {
    return { finding: prerequisite(`an answer could not be assembled (${(error as Error).message})`) };
  }
}

/** The plain text answer and its stream, when their texts agree (equivalence.text judges when not). */
async function sameText(ctx: CheckContext): Promise<Pair | { finding: Finding }> {
  const p = await pair(ctx, TEXT, TEXT_STREAM, false);
  if ('finding' in p || p.plain.content === p.streamed.content) return p;
  return { finding: prerequisite('the streamed text differs from the non-streamed text', 'equivalence.text') };
}

export const equivalenceChecks = checksOf('equivalence', [
  { id: 'equivalence.text', level: 'SHOULD', fault: 'equivalence.stream-text-differs', ref: STREAM, dependsOnModel: true,
    title: 'Streamed and non-streamed text agree (temperature 0, seed)', requirement: 'At temperature 0 with a seed, the concatenated streamed content "should equal the non-streamed message.content".',
    async run(ctx, out) {
      const p = await pair(ctx, TEXT, TEXT_STREAM, true);
      if ('finding' in p) return p.finding;
      out.notes.nonStreamed = p.plain.content;
      out.notes.streamed = p.streamed.content;
      if (p.plain.content !== p.streamed.content) return `the streamed content ${show(p.streamed.content, 120)} differs from the non-streamed content ${show(p.plain.content, 120)}`;
    },
  },
  { id: 'equivalence.finish-reason', level: 'SHOULD', fault: 'equivalence.stream-finish-differs', ref: STREAM,
    title: 'Streamed and non-streamed finish_reason agree', requirement: 'For the same answer, the streamed finish_reason "should equal the non-streamed one".',
    async run(ctx, out) {
      const p = await sameText(ctx);
      if ('finding' in p) return p.finding;
      out.notes.finishReasons = { nonStreamed: p.plain.finish_reason, streamed: p.streamed.finish_reason };
      if (p.plain.finish_reason !== p.streamed.finish_reason) {
        return `the same text ended with finish_reason ${show(p.streamed.finish_reason)} streamed and ${show(p.plain.finish_reason)} not streamed`;
      }
    },
  },
  { id: 'equivalence.usage', level: 'SHOULD', fault: 'equivalence.stream-usage-differs', ref: param('stream_options'),
    title: 'Streamed (include_usage) and non-streamed usage agree', requirement: 'For the same answer, the usage of the stream\'s final chunk (include_usage) "should equal the non-streamed usage".',
    async run(ctx, out) {
      const p = await sameText(ctx);
      if ('finding' in p) return p.finding;
      if (!p.plain.usage) return prerequisite('the non-streamed answer has no usage');
      if (!p.streamed.usage) return prerequisite('the stream carried no usage although include_usage was sent', 'the stream-usage checks');
      out.notes.usage = { nonStreamed: p.plain.usage, streamed: p.streamed.usage };
      for (const key of ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const) {
        if (p.plain.usage[key] !== p.streamed.usage[key]) {
          return `usage.${key} is ${p.streamed.usage[key]} streamed and ${p.plain.usage[key]} not streamed, for the same text`;
        }
      }
    },
  },
  { id: 'equivalence.tool-calls', level: 'SHOULD', fault: 'equivalence.stream-args-differ', ref: STREAM, dependsOnModel: true,
    title: 'Streamed and non-streamed tool calls agree', requirement: 'At temperature 0 with a seed and a named tool_choice, the streamed tool calls (names and parsed arguments) "should equal the non-streamed ones".',
    async run(ctx, out) {
      const p = await pair(ctx, TOOL, TOOL_STREAM, true);
      if ('finding' in p) return p.finding;
      const a = p.plain.tool_calls ?? [];
      const b = p.streamed.tool_calls ?? [];
      if (a.length === 0 || b.length === 0) return prerequisite(`${a.length} non-streamed and ${b.length} streamed tool calls`, 'tools.named.tool-calls');
      out.notes.nonStreamed = a.map(({ name, arguments: args }) => ({ name, arguments: args }));
      out.notes.streamed = b.map(({ name, arguments: args }) => ({ name, arguments: args }));
      const unparsed = [...a, ...b].find((c) => typeof c.arguments === 'string');
      if (unparsed) return prerequisite(`the arguments ${show(unparsed.arguments, 80)} do not parse as JSON`, 'the tools arguments checks');
      if (a.length !== b.length) return `${b.length} tool call(s) streamed, ${a.length} not streamed`;
      for (let i = 0; i < a.length; i++) {
        if (a[i].name !== b[i].name) return `tool call ${i} is to ${show(b[i].name)} streamed and ${show(a[i].name)} not streamed`;
        if (!isDeepStrictEqual(a[i].arguments, b[i].arguments)) return `tool call ${i} (${a[i].name}) has arguments ${show(b[i].arguments)} streamed and ${show(a[i].arguments)} not streamed`;
      }
      if (p.plain.finish_reason !== p.streamed.finish_reason) return `the tool-call answer ended with finish_reason ${show(p.streamed.finish_reason)} streamed and ${show(p.plain.finish_reason)} not streamed`;
    },
  },
]);
