// Client: the Vercel AI SDK — `ai` generateText/streamText with @ai-sdk/openai-compatible.
// The fixture's request is translated into the AI SDK's call (messages, tools without `execute` so
// that tool calls surface, toolChoice, settings, response format); what comes back is what the SDK
// exposes: text, reasoningText, toolCalls (input parsed by the SDK), rawFinishReason, usage.
// The AI SDK has no `n` and no separate refusal field (the provider turns a refusal into text).
// AI SDK 7: leading system messages go in `instructions` (system messages inside `messages` are refused
// unless allowed), and an error event inside a stream surfaces as a StreamProviderError.
import { API_KEY, BASE_URL, errorFields, jobHeaders, runJobs, textOrNull } from './common.ts';
import type { Job, Output, ToolCallOut } from './common.ts';
import { APICallError, NoObjectGeneratedError, Output as AiOutput, RetryError, StreamProviderError, generateText, jsonSchema, streamText, tool } from 'ai';
import type { ModelMessage, SystemModelMessage, ToolSet } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';

type Json = Record<string, any>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: any) => (p?.type === 'text' ? p.text : '')).join('');
  return '';
}

/** The leading system/developer messages become the call's instructions, as an AI SDK 7 application writes them. */
function splitInstructions(messages: Json[]): { instructions: SystemModelMessage[]; rest: Json[] } {
  let i = 0;
  while (i < messages.length && (messages[i].role === 'system' || messages[i].role === 'developer')) i++;
  const instructions = messages.slice(0, i).map((m): SystemModelMessage => ({ role: 'system', content: textOf(m.content) }));
  return { instructions, rest: messages.slice(i) };
}

function convertMessages(messages: Json[]): ModelMessage[] {
  const toolNames = new Map<string, string>();
  const out: ModelMessage[] = [];
  for (const m of messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: textOf(m.content) });
        break;
      case 'user':
        if (typeof m.content === 'string') out.push({ role: 'user', content: m.content });
        else
          out.push({
            role: 'user',
            content: (m.content as Json[]).map((p) =>
              p.type === 'image_url' ? { type: 'image' as const, image: p.image_url.url as string } : { type: 'text' as const, text: String(p.text ?? '') },
            ),
          });
        break;
      case 'assistant': {
        const parts: any[] = [];
        const text = textOf(m.content);
        if (text) parts.push({ type: 'text', text });
        for (const t of m.tool_calls ?? []) {
          toolNames.set(t.id, t.function.name);
          let input: unknown = t.function.arguments;
          try {
            input = JSON.parse(t.function.arguments);
          } catch {
            /* keep the text */
          }
          parts.push({ type: 'tool-call', toolCallId: t.id, toolName: t.function.name, input });
        }
        out.push({ role: 'assistant', content: parts });
        break;
      }
      case 'tool':
        out.push({
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: m.tool_call_id,
              toolName: toolNames.get(m.tool_call_id) ?? 'unknown',
              output: { type: 'text', value: textOf(m.content) },
            },
          ],
        });
        break;
      default:
        throw new Error(`unsupported message role ${m.role}`);
    }
  }
  return out;
}

function convertTools(tools: Json[] | undefined): ToolSet | undefined {
  if (!tools?.length) return undefined;
  const set: ToolSet = {};
  for (const t of tools) {
    if (t.type !== 'function') continue;
    set[t.function.name] = tool({
      description: t.function.description,
      inputSchema: jsonSchema(t.function.parameters ?? { type: 'object', properties: {} }),
    });
  }
  return set;
}

function convertToolChoice(choice: unknown): any {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice; // none | auto | required
  const name = (choice as Json)?.function?.name;
  return name ? { type: 'tool', toolName: name } : undefined;
}

function settings(job: Job): Json {
  const r = job.request;
  const provider = createOpenAICompatible({
    name: 'mock',
    baseURL: BASE_URL,
    apiKey: API_KEY,
    includeUsage: Boolean(r.stream_options?.include_usage),
    supportsStructuredOutputs: true,
    headers: jobHeaders(job),
  });
  const { instructions, rest } = splitInstructions(r.messages ?? []);
  const s: Json = {
    model: provider.chatModel(String(r.model)),
    ...(instructions.length > 0 ? { instructions } : {}),
    messages: convertMessages(rest),
    // a system message after the first turn stays where the conversation has it
    ...(rest.some((m) => m.role === 'system' || m.role === 'developer') ? { allowSystemInMessages: true } : {}),
    tools: convertTools(r.tools),
    toolChoice: convertToolChoice(r.tool_choice),
    // retry scenarios: the AI SDK's default (maxRetries 2); otherwise one request per scenario
    ...(job.retry ? {} : { maxRetries: 0 }),
    temperature: r.temperature,
    topP: r.top_p,
    maxOutputTokens: r.max_completion_tokens ?? r.max_tokens,
    stopSequences: typeof r.stop === 'string' ? [r.stop] : r.stop,
    seed: r.seed,
  };
  const rf = r.response_format;
  if (rf?.type === 'json_schema')
    s.output = AiOutput.object({ schema: jsonSchema(rf.json_schema.schema), name: rf.json_schema.name });
  else if (rf?.type === 'json_object') s.output = AiOutput.json();
  if (r.logprobs) s.providerOptions = { mock: { logprobs: r.logprobs, top_logprobs: r.top_logprobs } };
  return s;
}

function toolCallsOf(calls: any[]): ToolCallOut[] | undefined {
  if (!calls?.length) return undefined;
  return calls.map((c) => ({ id: c.toolCallId, name: c.toolName, arguments: c.input }));
}

function usageOf(u: any): Output['usage'] | undefined {
  if (!u || u.inputTokens === undefined) return undefined;
  return { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.totalTokens };
}

function httpError(e: unknown): Output['error'] | undefined {
  const err = e instanceof RetryError ? e.lastError : e;
  if (!APICallError.isInstance(err) || err.statusCode === undefined) return undefined;
  const fields = errorFields((err.data as any) ?? err.responseBody ?? '');
  return { status: err.statusCode, ...fields };
}

async function generate(job: Job): Promise<Output> {
  let result: any;
  try {
    result = await generateText(settings(job) as any);
  } catch (e) {
    // With a structured output (response_format json_schema/json_object) generateText throws when the
    // text is not the JSON it wants, e.g. on a refusal; the error still carries the text, finish
    // reason and usage, which is what a careful application reads.
    if (!NoObjectGeneratedError.isInstance(e)) throw e;
    const out: Output = { content: textOrNull(e.text) };
    if (e.finishReason) out.finish_reason = e.finishReason;
    const usage = usageOf(e.usage);
    if (usage) out.usage = usage;
    return out;
  }
  const out: Output = { content: textOrNull(result.text) };
  if (result.reasoningText) out.reasoning = result.reasoningText;
  const calls = toolCallsOf(result.toolCalls as any[]);
  if (calls) out.tool_calls = calls;
  out.finish_reason = result.rawFinishReason ?? result.finishReason;
  const usage = usageOf(result.usage);
  if (usage) out.usage = usage;
  return out;
}

async function stream(job: Job): Promise<Output> {
  const result = streamText({ ...(settings(job) as any), onError: () => {} });
  let content = '';
  let reasoning = '';
  const calls: any[] = [];
  const out: Output = {};
  let usage: any;
  for await (const part of result.fullStream as AsyncIterable<any>) {
    switch (part.type) {
      case 'text-delta':
        content += part.text;
        break;
      case 'reasoning-delta':
        reasoning += part.text;
        break;
      case 'tool-call':
        calls.push(part);
        break;
      case 'finish-step':
        if (part.rawFinishReason ?? part.finishReason) out.finish_reason = part.rawFinishReason ?? part.finishReason;
        usage = part.usage;
        break;
      case 'error': {
        const http = httpError(part.error);
        if (http) out.error = http;
        else if (StreamProviderError.isInstance(part.error)) {
          // an error event inside the (2xx) stream
          out.error = { status: 200, ...errorFields({ error: part.error.data ?? { type: part.error.type, code: part.error.code } }) };
        } else if (part.error && typeof part.error === 'object' && 'message' in part.error && !(part.error instanceof Error)) {
          // an error event inside the (2xx) stream: the provider hands over the event's error object
          const fields = errorFields({ error: part.error });
          out.error = { status: 200, ...fields };
        } else out.exception = part.error instanceof Error ? `${part.error.name}: ${part.error.message}` : String(part.error);
        break;
      }
    }
  }
  const result2: Output = { content: textOrNull(content) };
  if (reasoning) result2.reasoning = reasoning;
  const tc = toolCallsOf(calls);
  if (tc) result2.tool_calls = tc;
  if (out.finish_reason && out.finish_reason !== 'error') result2.finish_reason = out.finish_reason;
  const u = usageOf(usage);
  if (u) result2.usage = u;
  if (out.error) result2.error = out.error;
  if (out.exception) result2.exception = out.exception;
  return result2;
}

await runJobs(async (job) => {
  try {
    return job.request.stream ? await stream(job) : await generate(job);
  } catch (e) {
    const http = httpError(e);
    if (http) return { error: http };
    throw e;
  }
});
