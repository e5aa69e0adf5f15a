// Client: LangChain JS — ChatOpenAI from @langchain/openai with configuration.baseURL.
// Non-stream: invoke() (generate() when n > 1, since invoke() keeps the first generation only).
// Stream: stream(), AIMessageChunks concatenated with concat(); with n > 1 the chunks are grouped by
// response_metadata.completion (the choice index LangChain puts there).
// What is read: content, additional_kwargs.reasoning_content, tool_calls (args parsed by LangChain;
// invalid_tool_calls keep the raw string), response_metadata.finish_reason, usage_metadata.
// No token-counting path is used (generate() with streaming would estimate tokens with tiktoken,
// which downloads its encodings); the offline guard in common.ts reports any fetch that is not loopback.
import { API_KEY, BASE_URL, errorFields, jobHeaders, parseArguments, runJobs, textOrNull } from './common.ts';
import type { ChoiceOut, Job, Output, ToolCallOut } from './common.ts';
import { ChatOpenAI } from '@langchain/openai';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';

type Json = Record<string, any>;

function convertMessages(messages: Json[]): BaseMessage[] {
  return messages.map((m): BaseMessage => {
    switch (m.role) {
      case 'system':
        return new SystemMessage({ content: m.content });
      case 'developer':
        return new SystemMessage({ content: m.content, additional_kwargs: { __openai_role__: 'developer' } });
      case 'user':
        return new HumanMessage({ content: m.content });
      case 'assistant':
        return new AIMessage({
          content: m.content ?? '',
          tool_calls: (m.tool_calls ?? []).map((t: Json) => ({
            id: t.id,
            name: t.function.name,
            args: JSON.parse(t.function.arguments || '{}'),
            type: 'tool_call' as const,
          })),
        });
      case 'tool':
        return new ToolMessage({ content: m.content, tool_call_id: m.tool_call_id });
      default:
        throw new Error(`unsupported message role ${m.role}`);
    }
  });
}

function model(job: Job): ChatOpenAI {
  const r = job.request;
  return new ChatOpenAI({
    model: String(r.model),
    apiKey: API_KEY,
    configuration: { baseURL: BASE_URL, defaultHeaders: jobHeaders(job) },
    // retry scenarios: 2 retries, as applications set it (LangChain's own default, 6 with 1-2 s, 2-4 s ...
    // waits, would take minutes to give up); otherwise one request per scenario
    maxRetries: job.retry ? 2 : 0,
    timeout: 30_000,
    temperature: r.temperature,
    topP: r.top_p,
    maxTokens: r.max_completion_tokens ?? r.max_tokens,
    n: r.n,
    logprobs: r.logprobs,
    topLogprobs: r.top_logprobs,
    streamUsage: r.stream ? Boolean(r.stream_options?.include_usage) : undefined,
  });
}

function callOptions(r: Json): Json {
  const o: Json = {};
  if (r.tools?.length) o.tools = r.tools;
  if (r.tool_choice !== undefined) o.tool_choice = r.tool_choice;
  if (r.parallel_tool_calls !== undefined) o.parallel_tool_calls = r.parallel_tool_calls;
  if (r.response_format !== undefined) o.response_format = r.response_format;
  if (r.stop !== undefined) o.stop = typeof r.stop === 'string' ? [r.stop] : r.stop;
  if (r.seed !== undefined) o.seed = r.seed;
  return o;
}

function fromMessage(m: AIMessage | AIMessageChunk, finish?: unknown): ChoiceOut {
  const content = typeof m.content === 'string' ? m.content : m.content.map((p: any) => (p?.type === 'text' ? p.text : '')).join('');
  const out: ChoiceOut = { content: textOrNull(content) };
  const reasoning = m.additional_kwargs?.reasoning_content;
  if (typeof reasoning === 'string' && reasoning) out.reasoning = reasoning;
  const refusal = (m.additional_kwargs as Json)?.refusal;
  if (typeof refusal === 'string' && refusal) out.refusal = refusal;
  const calls: { index: number; call: ToolCallOut }[] = [];
  // valid and invalid calls, in the order the server sent them (the raw list keeps that order)
  (m.tool_calls ?? []).forEach((t, i) => calls.push({ index: i, call: { id: t.id, name: t.name, arguments: t.args } }));
  (m.invalid_tool_calls ?? []).forEach((t, i) =>
    calls.push({ index: (m.tool_calls?.length ?? 0) + i, call: { id: t.id, name: t.name ?? '', arguments: parseArguments(t.args) } }),
  );
  if (calls.length) out.tool_calls = calls.map((c) => c.call);
  const fr = finish ?? m.response_metadata?.finish_reason;
  if (typeof fr === 'string' && fr) out.finish_reason = fr;
  return out;
}

function usageOf(m: AIMessage | AIMessageChunk): Output['usage'] | undefined {
  const u = m.usage_metadata;
  if (!u) return undefined;
  return { prompt_tokens: u.input_tokens, completion_tokens: u.output_tokens, total_tokens: u.total_tokens };
}

function withChoices(list: ChoiceOut[], out: Output): Output {
  if (list.length) Object.assign(out, list[0]);
  if (list.length > 1) out.choices = list;
  return out;
}

async function nonStream(job: Job): Promise<Output> {
  const chat = model(job);
  const messages = convertMessages(job.request.messages ?? []);
  if ((job.request.n ?? 1) > 1) {
    const result = await chat.generate([messages], callOptions(job.request) as any);
    const gens = result.generations[0] as any[];
    const out = withChoices(
      gens.map((g) => fromMessage(g.message, g.generationInfo?.finish_reason)),
      {},
    );
    const usage = gens[0] ? usageOf(gens[0].message) : undefined;
    if (usage) out.usage = usage;
    return out;
  }
  const message = (await chat.invoke(messages, callOptions(job.request) as any)) as AIMessage;
  const out = withChoices([fromMessage(message)], {});
  const usage = usageOf(message);
  if (usage && (usage.total_tokens || usage.prompt_tokens || usage.completion_tokens)) out.usage = usage;
  return out;
}

async function stream(job: Job): Promise<Output> {
  const chat = model(job);
  const messages = convertMessages(job.request.messages ?? []);
  const byChoice = new Map<number, AIMessageChunk>();
  let usage: Output['usage'];
  let error: Output['error'];
  try {
    const iterable = await chat.stream(messages, callOptions(job.request) as any);
    for await (const chunk of iterable) {
      if (chunk.usage_metadata) usage = usageOf(chunk);
      const index = Number(chunk.response_metadata?.completion ?? 0);
      const prev = byChoice.get(index);
      byChoice.set(index, prev ? prev.concat(chunk) : chunk);
    }
  } catch (e: any) {
    if (e && typeof e === 'object' && 'error' in e && ('status' in e || 'type' in e)) {
      // the openai SDK's APIError (LangChain passes it through): an HTTP error or a stream error event
      const fields = errorFields({ error: e.error });
      error = { status: e.status ?? 200, type: e.type ?? fields.type, code: e.code ?? fields.code };
    } else throw e;
  }
  const list = [...byChoice.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => fromMessage(m));
  const out = withChoices(list, {});
  if (usage) out.usage = usage;
  if (error) out.error = error;
  return out;
}

await runJobs(async (job) => {
  try {
    return job.request.stream ? await stream(job) : await nonStream(job);
  } catch (e: any) {
    if (e && typeof e === 'object' && typeof e.status === 'number') {
      const fields = errorFields({ error: e.error });
      return { error: { status: e.status, type: e.type ?? fields.type, code: e.code ?? fields.code } };
    }
    throw e;
  }
});
