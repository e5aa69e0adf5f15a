// Reading a conversation robustly (any shape may arrive when a fault accepts an invalid request):
// the text of a message, the last user message, images, the tool result being answered, and the
// prompt's token count.
import { countTokens } from './tokenizer.ts';
import type { ChatRequest } from './types.ts';

/** Tokens each image counts for in the prompt (OpenAI's low-detail figure). */
export const IMAGE_TOKENS = 85;
/** Tokens of framing per message, and for priming the reply. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

function messages(req: ChatRequest): any[] {
  return Array.isArray(req?.messages) ? req.messages : [];
}

/** The text of a message's content (string, or the text of its parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (typeof part === 'string') out += (out ? ' ' : '') + part;
    else if (part && typeof part === 'object') {
      const t = (part as any).text ?? (part as any).refusal;
      if (typeof t === 'string') out += (out ? ' ' : '') + t;
    }
  }
  return out;
}

export function lastUserText(req: ChatRequest): string {
  const list = messages(req);
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i]?.role === 'user') return contentText(list[i].content);
  }
  return '';
}

export function countImages(req: ChatRequest): number {
  let n = 0;
  for (const m of messages(req)) {
    if (!Array.isArray(m?.content)) continue;
    for (const p of m.content) if (p && (p.type === 'image_url' || p.type === 'input_image')) n++;
  }
  return n;
}

export function lastRole(req: ChatRequest): string | undefined {
  const list = messages(req);
  const role = list[list.length - 1]?.role;
  return typeof role === 'string' ? role : undefined;
}

/** When the conversation ends with tool results: their tool names and contents. */
export function trailingToolResults(req: ChatRequest): { name: string; content: string }[] {
  const list = messages(req);
  const out: { name: string; content: string }[] = [];
  let i = list.length - 1;
  while (i >= 0 && list[i]?.role === 'tool') i--;
  const calls: any[] = Array.isArray(list[i]?.tool_calls) ? list[i].tool_calls : [];
  for (let j = i + 1; j < list.length; j++) {
    const m = list[j];
    const call = calls.find((c) => c?.id === m?.tool_call_id);
    const name = typeof call?.function?.name === 'string' ? call.function.name : typeof m?.name === 'string' ? m.name : 'the tool';
    out.push({ name, content: contentText(m?.content) });
  }
  return out;
}

/** The words of a text (letters, digits and inner apostrophes/hyphens). */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? [];
}

/** prompt_tokens: every message's text and name, framing, images, tool definitions and the output schema. */
export function countPromptTokens(req: ChatRequest): number {
  let n = REPLY_PRIMING;
  for (const m of messages(req)) {
    n += PER_MESSAGE;
    if (!m || typeof m !== 'object') continue;
    if (typeof m.role === 'string') n += 1;
    if (typeof m.name === 'string') n += countTokens(m.name);
    n += countTokens(contentText(m.content));
    if (Array.isArray(m.content)) {
      for (const p of m.content) if (p && (p.type === 'image_url' || p.type === 'input_image')) n += IMAGE_TOKENS;
    }
    if (Array.isArray(m.tool_calls)) n += countTokens(safeJson(m.tool_calls));
    if (typeof m.reasoning_content === 'string') n += countTokens(m.reasoning_content);
  }
  if (Array.isArray(req?.tools) && req.tools.length > 0) n += countTokens(safeJson(req.tools));
  const rf = req?.response_format;
  if (rf && typeof rf === 'object' && rf.type === 'json_schema') n += countTokens(safeJson(rf.json_schema ?? {}));
  return n;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
