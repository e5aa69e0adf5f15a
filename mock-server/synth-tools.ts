// Which function tools the default synthesizer calls:
// - tool_choice naming a function: that one;
// - "required": the tools the last user message mentions, else the first tool;
// - "auto" (the default when tools are given): the mentioned tools, else none (a text answer);
// - "none": none.
// A tool is mentioned when the last user message contains its name (also with spaces for
// underscores), every significant word of its name, or its last one (get_current_time ↔ "time").
// After tool results (the conversation ends with role "tool") "auto" answers with text.
// parallel_tool_calls: false → at most one call. Calls come in the order of the `tools` array.
import { lastRole, lastUserText } from './conversation.ts';
import type { ChatRequest } from './types.ts';

const VERBS = new Set([
  'get', 'set', 'fetch', 'find', 'list', 'make', 'create', 'update', 'delete', 'remove', 'search', 'lookup', 'look',
  'call', 'run', 'do', 'the', 'and', 'for', 'with', 'to', 'of', 'by', 'a', 'an', 'my', 'tool', 'func', 'function', 'api',
  'query', 'check', 'show', 'read', 'write', 'send', 'add', 'put', 'post', 'retrieve',
]);

export interface FunctionTool {
  name: string;
  parameters: unknown;
  /** its place in the request's `tools` */
  index: number;
}

export function functionTools(req: ChatRequest): FunctionTool[] {
  if (!Array.isArray(req.tools)) return [];
  const out: FunctionTool[] = [];
  req.tools.forEach((t: any, index: number) => {
    const name = t?.function?.name;
    if (typeof name === 'string' && name.length > 0) out.push({ name, parameters: t.function.parameters, index });
  });
  return out;
}

/** The words of an identifier: get_current_weather, getCurrentWeather, get-current-weather → get current weather. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 0);
}

export function isMentioned(name: string, text: string): boolean {
  const lower = text.toLowerCase();
  const parts = nameWords(name);
  if (lower.includes(name.toLowerCase()) || (parts.length > 0 && lower.includes(parts.join(' ')))) return true;
  const significant = parts.filter((w) => w.length >= 3 && !VERBS.has(w));
  if (significant.length === 0) return false;
  const textWords = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
  const said = (w: string) => textWords.some((t) => t === w || (t.startsWith(w) && t.length - w.length <= 3) || (w.startsWith(t) && t.length >= 4 && w.length - t.length <= 2));
  // every significant word, or the last one (the head noun: get_current_time ↔ "time")
  return significant.every(said) || said(significant[significant.length - 1]);
}

/** The tools to call for this request (empty: answer with text). */
export function chooseTools(req: ChatRequest): FunctionTool[] {
  const tools = functionTools(req);
  if (tools.length === 0) return [];
  const choice = req.tool_choice ?? 'auto';
  const parallel = req.parallel_tool_calls !== false;
  const limit = (list: FunctionTool[]) => (parallel ? list : list.slice(0, 1));
  if (choice && typeof choice === 'object') {
    const name = choice.function?.name ?? choice.name;
    const named = tools.find((t) => t.name === name);
    return named ? [named] : [];
  }
  if (choice === 'none') return [];
  const text = lastUserText(req);
  const mentioned = tools.filter((t) => isMentioned(t.name, text));
  if (choice === 'required') return limit(mentioned.length > 0 ? mentioned : [tools[0]]);
  if (lastRole(req) === 'tool') return [];
  return limit(mentioned);
}
