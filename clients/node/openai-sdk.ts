// Client: the official `openai` Node SDK.
//   default mode:      client.chat.completions.create() — a completion, or a Stream of chunks that this
//                      program assembles itself (what most applications do);
//   --mode=helper:     client.chat.completions.stream() + finalChatCompletion(), the SDK's own
//                      accumulator (streams only).
//   --sdk=openai-v6:   the previous major (openai@6, installed as the alias openai-v6), so the matrix
//                      shows what changed between majors.
// Errors: the SDK's APIError subclasses give status, type and code. A stream's error event raises an
// APIError without a status; the HTTP status is then the response's (withResponse()).
import { API_KEY, BASE_URL, errorFields, jobHeaders, parseArguments, runJobs, textOrNull } from './common.ts';
import type { ChoiceOut, Job, Output, ToolCallOut } from './common.ts';
import type { APIError as ApiErrorType } from 'openai';

const helper = process.argv.includes('--mode=helper');
const sdk = process.argv.find((a) => a.startsWith('--sdk='))?.slice('--sdk='.length) ?? 'openai';
if (sdk !== 'openai' && sdk !== 'openai-v6') throw new Error(`unknown --sdk ${sdk}`);
// both majors have the same entry points for what this client uses
const { default: OpenAI, APIError } = (await import(sdk)) as typeof import('openai');
type APIError = ApiErrorType;
const noRetries = new OpenAI({ baseURL: BASE_URL, apiKey: API_KEY, maxRetries: 0, timeout: 30_000 });
// retry scenarios: the SDK's documented default (2 retries on 408/409/429/5xx and connection errors)
const defaults = new OpenAI({ baseURL: BASE_URL, apiKey: API_KEY, timeout: 30_000 });
let client = noRetries;

interface CallState {
  id?: string;
  name: string;
  args: string;
}
interface ChoiceState {
  content: string;
  reasoning: string;
  refusal: string;
  calls: Map<number, CallState>;
  last?: number;
  finish?: string;
}

function finishChoice(s: ChoiceState): ChoiceOut {
  const out: ChoiceOut = { content: textOrNull(s.content) };
  if (s.reasoning) out.reasoning = s.reasoning;
  if (s.refusal) out.refusal = s.refusal;
  if (s.calls.size) {
    out.tool_calls = [...s.calls.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, c]) => {
        const call: ToolCallOut = { name: c.name, arguments: parseArguments(c.args) };
        if (c.id) call.id = c.id;
        return call;
      });
  }
  if (s.finish) out.finish_reason = s.finish;
  return out;
}

function withChoices(list: ChoiceOut[], out: Output): Output {
  if (list.length) Object.assign(out, list[0]);
  if (list.length > 1) out.choices = list;
  return out;
}

function usageOf(u: any): Output['usage'] | undefined {
  if (!u || typeof u !== 'object') return undefined;
  return { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.total_tokens };
}

function errorOut(e: APIError, fallbackStatus?: number): Output['error'] {
  const fields = errorFields({ error: e.error });
  return { status: e.status ?? fallbackStatus ?? null, type: e.type ?? fields.type, code: e.code ?? fields.code };
}

/** A chat.completion object (non-stream, or the helper's final completion) → output. */
function fromCompletion(c: any): Output {
  const choices = [...(c.choices ?? [])].sort((a: any, b: any) => (a?.index ?? 0) - (b?.index ?? 0));
  const list = choices.map((ch: any): ChoiceOut => {
    const m = ch?.message ?? {};
    const out: ChoiceOut = { content: textOrNull(m.content) };
    // reasoning_content is no part of the SDK's types, but the SDK keeps unknown fields on the object.
    const reasoning = m.reasoning_content ?? m.reasoning;
    if (typeof reasoning === 'string' && reasoning) out.reasoning = reasoning;
    if (typeof m.refusal === 'string' && m.refusal) out.refusal = m.refusal;
    if (Array.isArray(m.tool_calls) && m.tool_calls.length)
      out.tool_calls = m.tool_calls.map((t: any) => {
        const call: ToolCallOut = { name: t.function?.name, arguments: parseArguments(t.function?.arguments) };
        if (t.id) call.id = t.id;
        return call;
      });
    if (ch?.finish_reason) out.finish_reason = ch.finish_reason;
    return out;
  });
  const out = withChoices(list, {});
  const usage = usageOf(c.usage);
  if (usage) out.usage = usage;
  return out;
}

async function streamChunks(job: Job, headers: Record<string, string>): Promise<Output> {
  const states = new Map<number, ChoiceState>();
  let usage: Output['usage'];
  let error: Output['error'];
  const { data: stream, response } = await client.chat.completions
    .create({ ...(job.request as any), stream: true }, { headers })
    .withResponse();
  try {
    for await (const chunk of stream as unknown as AsyncIterable<any>) {
      if (chunk.usage) usage = usageOf(chunk.usage);
      for (const choice of chunk.choices ?? []) {
        const index = choice.index ?? 0;
        let s = states.get(index);
        if (!s) states.set(index, (s = { content: '', reasoning: '', refusal: '', calls: new Map() }));
        const d = choice.delta ?? {};
        if (typeof d.content === 'string') s.content += d.content;
        const r = d.reasoning_content ?? d.reasoning;
        if (typeof r === 'string') s.reasoning += r;
        if (typeof d.refusal === 'string') s.refusal += d.refusal;
        for (const t of d.tool_calls ?? []) {
          // `index` says which call a fragment continues; without one, a new id starts a call
          let i: number;
          if (typeof t.index === 'number') i = t.index;
          else if (t.id && ![...s.calls.values()].some((c) => c.id === t.id)) i = s.calls.size;
          else i = s.last ?? 0;
          s.last = i;
          let call = s.calls.get(i);
          if (!call) s.calls.set(i, (call = { name: '', args: '' }));
          if (t.id) call.id = t.id;
          if (t.function?.name) call.name = t.function.name;
          if (typeof t.function?.arguments === 'string') call.args += t.function.arguments;
        }
        if (choice.finish_reason) s.finish = choice.finish_reason;
      }
    }
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    error = errorOut(e, response.status);
  }
  const list = [...states.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => finishChoice(s));
  const out = withChoices(list, {});
  if (usage) out.usage = usage;
  if (error) out.error = error;
  return out;
}

async function streamHelper(job: Job, headers: Record<string, string>): Promise<Output> {
  const stream = client.chat.completions.stream({ ...(job.request as any), stream: true }, { headers });
  try {
    return fromCompletion(await stream.finalChatCompletion());
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    const snapshot = stream.currentChatCompletionSnapshot;
    const out = snapshot ? fromCompletion(snapshot) : {};
    // the helper does not expose the HTTP status of a started stream; it was a 2xx if a snapshot exists
    out.error = errorOut(e, snapshot ? 200 : undefined);
    return out;
  }
}

await runJobs(async (job) => {
  const headers = jobHeaders(job);
  client = job.retry ? defaults : noRetries;
  try {
    if (job.request.stream) return helper ? await streamHelper(job, headers) : await streamChunks(job, headers);
    if (helper) return { exception: 'the helper mode handles streams only' };
    return fromCompletion(await client.chat.completions.create(job.request as any, { headers }));
  } catch (e) {
    if (e instanceof APIError && e.status !== undefined) return { error: errorOut(e) };
    throw e;
  }
});
