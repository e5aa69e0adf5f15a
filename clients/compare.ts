// The comparison rules of the client harness: what a client printed against a fixture's `expect`.
//
// A fixture's `expect` is complete: it is exactly what the reference assembler (lib/assemble.ts)
// builds, so a field it leaves out means "none" (no reasoning, no refusal, no tool calls, no error).
// Rules, per field (choice 0 flat at the top level, and each entry of `choices`):
// - content, refusal: null, "" and absent are the same (nothing); otherwise the strings must be equal.
// - reasoning: "" and absent are the same; compared only for a client with the `reasoning` capability.
// - refusal: compared only for a client with the `refusal` capability.
// - finish_reason: exact string; absent and null are the same.
// - tool_calls: absent and [] are the same; same count, same order; per call `name` equal, `arguments`
//   deep-equal as JSON (key order is irrelevant; a client that could not parse them prints the raw
//   string, which then differs); `id` compared when expect has one and the client has `tool-call-ids`.
// - usage: compared only when expect has it and the client has the `usage` capability: the three counts.
// - choices: compared only for a client with the `n` capability; a list of 0 or 1 is the same as none.
// - error: status and type equal, and code when expect has one (null and absent are the same); an
//   error the expect lacks is a difference, and so is a missing one.
// - exception (the client program gave up on the scenario) or external_fetches (it tried the network)
//   are always differences.
import { isDeepStrictEqual } from 'node:util';
import type { ExpectedChoice, FixtureExpect } from '../lib/fixture-format.ts';

export type Capability =
  /** runs `stream: true` requests */
  | 'stream'
  /** runs non-stream requests */
  | 'non-stream'
  /** can ask for n > 1 and reports every choice */
  | 'n'
  /** sends tools and reports tool calls */
  | 'tools'
  /** reports reasoning_content / reasoning */
  | 'reasoning'
  /** reports a refusal apart from content */
  | 'refusal'
  /** reports token usage */
  | 'usage'
  /** reports tool call ids */
  | 'tool-call-ids';

export const ALL_CAPABILITIES: Capability[] = ['stream', 'non-stream', 'n', 'tools', 'reasoning', 'refusal', 'usage', 'tool-call-ids'];

export interface Difference {
  /** dotted field, e.g. `content`, `tool_calls[0].arguments`, `choices[1].finish_reason`, `error.type` */
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface Comparison {
  differences: Difference[];
  /** expect fields left out because the client lacks the capability */
  notCompared: string[];
}

type Output = Record<string, any>;

/** null, "" and absent are all "nothing"; anything else is kept as it is. */
function text(value: unknown): unknown {
  return value === undefined || value === null || value === '' ? null : value;
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function compareChoice(prefix: string, exp: ExpectedChoice, act: Output, caps: Set<Capability>, out: Comparison): void {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const diff = (field: string, expected: unknown, actual: unknown) => out.differences.push({ field: at(field), expected, actual });

  if (text(exp.content) !== text(act.content)) diff('content', text(exp.content), text(act.content));

  if (caps.has('reasoning')) {
    if (text(exp.reasoning) !== text(act.reasoning)) diff('reasoning', text(exp.reasoning), text(act.reasoning));
  } else if (text(exp.reasoning) !== null) out.notCompared.push(at('reasoning'));

  if (caps.has('refusal')) {
    if (text(exp.refusal) !== text(act.refusal)) diff('refusal', text(exp.refusal), text(act.refusal));
  } else if (text(exp.refusal) !== null) out.notCompared.push(at('refusal'));

  const ef = exp.finish_reason ?? null;
  const af = act.finish_reason ?? null;
  if (ef !== af) diff('finish_reason', ef, af);

  const ec = list(exp.tool_calls);
  const ac = list(act.tool_calls);
  if (ec.length !== ac.length) {
    diff('tool_calls', ec, ac);
  } else {
    ec.forEach((e, i) => {
      const a = ac[i] ?? {};
      if (e.name !== a.name) diff(`tool_calls[${i}].name`, e.name, a.name ?? null);
      if (!isDeepStrictEqual(e.arguments, a.arguments))
        diff(`tool_calls[${i}].arguments`, e.arguments, a.arguments ?? null);
      if (e.id !== undefined) {
        if (caps.has('tool-call-ids')) {
          if (e.id !== a.id) diff(`tool_calls[${i}].id`, e.id, a.id ?? null);
        } else if (i === 0) out.notCompared.push(at('tool_calls[].id'));
      }
    });
  }
}

export function compare(expect: FixtureExpect, actual: Output, caps: Set<Capability>): Comparison {
  const out: Comparison = { differences: [], notCompared: [] };
  const diff = (field: string, expected: unknown, actual: unknown) => out.differences.push({ field, expected, actual });

  if (actual.exception !== undefined) diff('exception', null, actual.exception);
  if (Array.isArray(actual.external_fetches) && actual.external_fetches.length)
    diff('external_fetches', [], actual.external_fetches);

  // error
  const ee = expect.error;
  const ae = actual.error && typeof actual.error === 'object' ? actual.error : undefined;
  if (ee && !ae) diff('error', ee, actual.error ?? null);
  else if (!ee && ae) diff('error', null, ae);
  else if (ee && ae) {
    if (ee.status !== ae.status) diff('error.status', ee.status, ae.status ?? null);
    if (ee.type !== ae.type) diff('error.type', ee.type, ae.type ?? null);
    if ('code' in ee && (ee.code ?? null) !== (ae.code ?? null)) diff('error.code', ee.code ?? null, ae.code ?? null);
  }

  // An HTTP error has no message to compare; an error event inside a stream may follow content.
  const httpError = ee !== undefined && ee.status >= 400;
  if (!httpError) compareChoice('', expect, actual, caps, out);

  // choices (n > 1)
  const ech = list(expect.choices);
  const ach = list(actual.choices);
  if (caps.has('n')) {
    const en = ech.length > 1 ? ech : [];
    const an = ach.length > 1 ? ach : [];
    if (en.length !== an.length) diff('choices', en.length ? `${en.length} choices` : 'no choices list', an.length ? `${an.length} choices` : 'no choices list');
    else en.forEach((e, i) => compareChoice(`choices[${i}]`, e, an[i] ?? {}, caps, out));
  } else if (ech.length > 1) out.notCompared.push('choices');

  // usage
  if (expect.usage) {
    if (caps.has('usage')) {
      const au = actual.usage ?? null;
      const pick = (u: any) =>
        u && typeof u === 'object' ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.total_tokens } : null;
      if (!isDeepStrictEqual(pick(expect.usage), pick(au))) diff('usage', expect.usage, au);
    } else out.notCompared.push('usage');
  }
  return out;
}

/** One readable line per difference: `content: expected "a", got "b"`. */
export function formatDifferences(differences: Difference[]): string {
  return differences.map((d) => `${d.field}: expected ${show(d.expected)}, got ${show(d.actual)}`).join('\n');
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? 'nothing' : s.length > 400 ? `${s.slice(0, 400)}…` : s;
}
