// Reading a non-streamed answer (and the request it answers): each accessor returns what is there,
// or an empty value, and judges nothing.
import { isObject } from '../../../lib/json.ts';
import type { Exchange } from '../types.ts';

type Json = Record<string, any>;

/** The JSON body as an object ({} when it is not one). */
export function bodyOf(x: Exchange): Json {
  return isObject(x.json) ? (x.json as Json) : {};
}

export function choicesOf(x: Exchange): Json[] {
  const c = bodyOf(x).choices;
  return Array.isArray(c) ? c : [];
}

/** choices[0] as sent (any value). */
export function firstChoice(x: Exchange): any {
  return (x.json as any)?.choices?.[0];
}

export function messageOf(x: Exchange, i = 0): Json | undefined {
  const m = choicesOf(x)[i]?.message;
  return isObject(m) ? m : undefined;
}

export function usageOf(x: Exchange): Json | undefined {
  const u = bodyOf(x).usage;
  return isObject(u) ? u : undefined;
}

/** The status, error type/code/param and message of an error answer, for notes and messages. */
export function errorSummary(x: Exchange): { status: number; type?: unknown; code?: unknown; param?: unknown; message?: unknown } {
  const e = bodyOf(x).error;
  return isObject(e) ? { status: x.status, type: e.type, code: e.code, param: e.param, message: e.message } : { status: x.status };
}

/** The tools the request declared, by name. */
export function declaredTools(x: Exchange): Map<string, Json> {
  const tools = (x.request.body as Json | undefined)?.tools;
  const out = new Map<string, Json>();
  if (Array.isArray(tools)) for (const t of tools) if (isObject(t?.function)) out.set(t.function.name, t.function);
  return out;
}
