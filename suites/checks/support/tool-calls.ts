// Judging tool calls, non-streamed and streamed (tools, parallel-tools): what a check needs from an
// answer's calls, and the requirements several checks share (ids, arguments, the finish_reason).
import { isObject } from '../../../lib/json.ts';
import type { CheckContext, Exchange, Finding, RequestSpec, ValidatorOutput } from '../types.ts';
import { declaredTools, messageOf } from './completion.ts';
import { prerequisite, sendAccepted, type Skip } from './gates.ts';
import { streamChoice, type StreamChoice, type StreamToolCall } from './stream-view.ts';
import { show } from './text.ts';
import { parseArguments, requestSchemaProblems } from './validators.ts';

type Json = Record<string, any>;

/** The tool calls of a non-stream answer's first choice ([] when there are none). */
export function callsIn(x: Exchange): Json[] {
  const calls = messageOf(x)?.tool_calls;
  return Array.isArray(calls) ? calls : [];
}

/** The function names of tool calls. */
export function calledNames(calls: Json[]): unknown[] {
  return calls.map((c) => c?.function?.name);
}

/**
 * The names a fresh answer to `spec` calls (a model-dependent probe asks again on every run), noted
 * as `called`; or the gate's finding.
 */
export async function freshCalls(ctx: CheckContext, spec: RequestSpec, capability: string, out: ValidatorOutput): Promise<{ x: Exchange; names: unknown[] } | { finding: Finding }> {
  const got = await sendAccepted(ctx, spec, capability, { fresh: true });
  if ('finding' in got) return got;
  const names = calledNames(callsIn(got.x));
  out.notes.called = names;
  return { x: got.x, names };
}

/** The tool calls of a non-stream answer's first choice, or a SKIP naming the check that requires one. */
export function toolCalls(requiredBy: string): (x: Exchange) => Json[] | Skip {
  return (x) => {
    const calls = messageOf(x)?.tool_calls;
    if (Array.isArray(calls) && calls.length > 0) return calls;
    return prerequisite(`choices[0].message.tool_calls is ${show(calls)}, so there is nothing to judge`, requiredBy);
  };
}

export interface StreamedCalls {
  calls: StreamToolCall[];
  choice: StreamChoice;
}

/** The streamed tool calls of choice 0 (merged by index), or a SKIP when there are none or a fragment has no index. */
export function streamedCalls(requiredBy: string): (x: Exchange) => StreamedCalls | Skip {
  return (x) => {
    const choice = streamChoice(x);
    if (!choice || choice.toolFragments.length === 0) return prerequisite('the stream carried no delta.tool_calls for choice 0', requiredBy);
    const noIndex = choice.toolFragments.filter((f) => !Number.isInteger(f.index));
    if (noIndex.length > 0) {
      return prerequisite(`${noIndex.length} tool-call fragment(s) have no integer index, so fragments cannot be merged`, 'tools.stream.index-on-every-fragment');
    }
    return { calls: choice.toolCalls, choice };
  };
}

/** A streamed call as a non-stream one: the name it was announced with, its concatenated arguments. */
export function asCall(call: StreamToolCall): { name: unknown; arguments: string } {
  return { name: call.fragments[0]?.name, arguments: call.arguments };
}

/** Every call has a non-empty id, unique within the message. */
export function distinctIds(calls: Json[], where = 'choices[0].message.tool_calls'): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, call] of calls.entries()) {
    if (typeof call?.id !== 'string' || call.id.trim() === '') return `${where}[${i}].id is ${show(call?.id)}, not a non-empty string`;
    if (seen.has(call.id)) return `${where}[${i}].id ${show(call.id)} repeats tool_calls[${seen.get(call.id)}].id`;
    seen.set(call.id, i);
  }
}

/**
 * Each call's arguments parse to a JSON object that validates against the parameters of the tool the
 * request declared. Arguments that do not parse, and calls to undeclared tools, are problems; or
 * SKIPs when `judgedBy` names the check that judges them (the schema is then this check's only concern).
 */
export function argumentsValid(
  calls: { name: unknown; arguments: unknown }[],
  x: Exchange,
  out: ValidatorOutput,
  where: (i: number) => string,
  judgedBy?: string,
): Finding | undefined {
  const tools = declaredTools(x);
  const elsewhere = (problem: string) => (judgedBy ? prerequisite(problem, judgedBy) : problem);
  for (const [i, call] of calls.entries()) {
    const parsed = parseArguments(call.arguments);
    if ('problem' in parsed) return elsewhere(`${where(i)}: ${parsed.problem}`);
    if (!judgedBy && !isObject(parsed.value)) return `${where(i)}: arguments parse to ${show(parsed.value)}, not a JSON object`;
    out.notes[`arguments[${i}]`] = parsed.value;
    const tool = tools.get(call.name as string);
    if (!tool) return elsewhere(`${where(i)}: calls ${show(call.name)}, which the request did not declare`);
    const problems = requestSchemaProblems(tool.parameters ?? { type: 'object' }, parsed.value);
    if (problems.length > 0) return `${where(i)}: arguments ${show(parsed.value)} do not validate against the parameters of ${call.name}: ${problems.join('; ')}`;
  }
}

/** finish_reason "tool_calls" when the message carries tool calls ("length": cut, inconclusive). */
export function finishIsToolCalls(value: unknown, where: string): Finding | undefined {
  if (value === 'tool_calls') return undefined;
  if (value === 'length') return { skip: `inconclusive: ${where} is "length": the answer was cut by max_tokens before the turn ended` };
  return `${where} is ${show(value)}, not "tool_calls", although the message carries tool calls`;
}

/** The answer to a turn that sent tool results back: an assistant message with text or tool calls. */
export function answersToolResults(x: Exchange, what: string, out: ValidatorOutput): string | undefined {
  const message = messageOf(x);
  if (!message) return `the answer to ${what} has no choices[0].message: ${show(x.json)}`;
  out.notes.answer = message.content ?? message.tool_calls;
  if (message.role !== 'assistant') return `the answer to ${what} has role ${show(message.role)}, not "assistant"`;
  const hasText = typeof message.content === 'string' && message.content !== '';
  const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
  if (!hasText && !hasCalls) return `the answer to ${what} is empty: content ${show(message.content)} and no tool_calls`;
}

/** The assistant turn that carried `calls`, as a client sends it back. */
export function assistantTurn(calls: Json[]): Json {
  return { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function?.name, arguments: c.function?.arguments } })) };
}
