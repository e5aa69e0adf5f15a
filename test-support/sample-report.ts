// A realistic sample ComplianceReport for the report tests and the screenshot: several capabilities,
// every verdict, streamed evidence with timings, metrics, repeat statistics, and a hostile body.
import type { CheckResult, EvidenceExchange, Level, Verdict } from '../lib/results.ts';
import { buildReport } from '../reports/compliance.ts';
import type { ComplianceReport, TargetInfo } from '../reports/model.ts';

/** A body that tries to run script wherever it is shown without escaping. */
export const HOSTILE_BODY =
  '{"error":{"message":"</pre><script>window.__pwned=1</script><img src=x onerror=\\"window.__pwned=2\\">]]></system-out>\\u0001","type":"invalid_request_error"}}';

export interface SampleOptions {
  target?: Partial<TargetInfo>;
  /** override verdicts by check id (for comparison tests) */
  verdicts?: Record<string, Verdict>;
  /** leave these check ids out */
  omit?: string[];
  startedAt?: string;
}

interface Spec {
  id: string;
  level: Level;
  capability: string;
  title: string;
  requirement: string;
  verdict: Verdict;
  message?: string;
  stream?: boolean;
  exchange?: Partial<EvidenceExchange>;
  metrics?: Record<string, number>;
  repeat?: CheckResult['repeat'];
  notes?: Record<string, unknown>;
}

const BASE = 'https://llm.example.com/v1';

function sseBody(words: string[], opts: { done?: boolean; usage?: boolean } = {}): string {
  const id = 'chatcmpl-sample123';
  const frames = [
    { id, object: 'chat.completion.chunk', created: 1735689600, model: 'sample-model', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    ...words.map((w) => ({ id, object: 'chat.completion.chunk', created: 1735689600, model: 'sample-model', choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })),
    { id, object: 'chat.completion.chunk', created: 1735689600, model: 'sample-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  ];
  if (opts.usage) {
    frames.push({ id, object: 'chat.completion.chunk', created: 1735689600, model: 'sample-model', choices: [], usage: { prompt_tokens: 12, completion_tokens: words.length, total_tokens: 12 + words.length } } as never);
  }
  return frames.map((f) => `data: ${JSON.stringify(f)}\n\n`).join('') + (opts.done === false ? '' : 'data: [DONE]\n\n');
}

function gaps(n: number, seed: number): number[] {
  const out: number[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 9301 + 49297) % 233280;
    const base = 18 + (x / 233280) * 22;
    out.push(Math.round((i === Math.floor(n * 0.6) ? base * 6 : base) * 10) / 10);
  }
  return out;
}

function exchange(spec: Spec, index: number): EvidenceExchange {
  const stream = spec.stream ?? false;
  const words = ['The', ' capital', ' of', ' France', ' is', ' Paris', '.', ' It', ' is', ' on', ' the', ' Seine', '.'];
  const g = stream ? gaps(words.length + 2, index + 7) : undefined;
  const ttft = stream ? 180 + index * 13 : undefined;
  const total = stream ? ttft! + g!.reduce((a, b) => a + b, 0) : 240 + index * 11;
  const base: EvidenceExchange = {
    request: {
      method: 'POST',
      url: `${BASE}/chat/completions`,
      headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', authorization: '[redacted]' },
      body: { model: 'sample-model', messages: [{ role: 'user', content: 'What is the capital of France? Answer in one sentence.' }], ...(stream ? { stream: true } : {}), max_tokens: 64 },
    },
    response: {
      status: 200,
      headers: { 'content-type': stream ? 'text/event-stream; charset=utf-8' : 'application/json', 'x-request-id': `req_${index}` },
      body: stream
        ? sseBody(words, { done: spec.id !== 'stream.done-sentinel', usage: spec.capability === 'stream-usage' })
        : JSON.stringify({ id: 'chatcmpl-sample123', object: 'chat.completion', created: 1735689600, model: 'sample-model', choices: [{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 } }),
    },
    timings: stream
      ? { headersMs: ttft! - 40, ttftMs: ttft, totalMs: Math.round(total * 10) / 10, gapsMs: g, events: g!.length + 1 }
      : { headersMs: total - 5, totalMs: total },
  };
  return { ...base, ...spec.exchange };
}

const SPECS: Spec[] = [
  { id: 'core.completion.schema', level: 'MUST', capability: 'core', title: 'The completion validates against the chat-completion schema', requirement: 'A non-streamed answer "must be a chat.completion object as the contract defines it".', verdict: 'PASS' },
  { id: 'core.content-type-json', level: 'MUST', capability: 'core', title: 'A non-streamed answer is application/json', requirement: 'A non-streamed answer "must be sent with content-type application/json".', verdict: 'PASS' },
  { id: 'core.message.role-assistant', level: 'MUST', capability: 'core', title: 'message.role is "assistant"', requirement: 'Each choice\'s message "must have role assistant".', verdict: 'PASS' },
  { id: 'core.usage.totals', level: 'SHOULD', capability: 'core', title: 'usage.total_tokens is prompt + completion', requirement: 'usage "should add up: total_tokens = prompt_tokens + completion_tokens".', verdict: 'WARN', message: 'usage.total_tokens is 21, prompt_tokens + completion_tokens is 20' },
  { id: 'core.latency', level: 'MAY', capability: 'core', title: 'Latency of a short completion', requirement: 'A short completion "may be measured: time to headers and to the end of the body".', verdict: 'INFO', message: 'measured', metrics: { headersMs: 235, totalMs: 240 } },
  { id: 'stream.content-type', level: 'MUST', capability: 'streaming', title: 'A stream is text/event-stream', requirement: 'A streamed answer "must be sent with content-type text/event-stream".', verdict: 'PASS', stream: true },
  { id: 'stream.done-sentinel', level: 'MUST', capability: 'streaming', title: 'The stream ends with data: [DONE]', requirement: 'A stream "must end with the event data: [DONE]".', verdict: 'FAIL', stream: true, message: 'the stream ended without data: [DONE] (15 events, last: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})\n  sent: POST https://llm.example.com/v1/chat/completions {"stream":true,...}\n  got:  200 text/event-stream' },
  { id: 'stream.chunk.schema', level: 'MUST', capability: 'streaming', title: 'Every chunk validates against the chunk schema', requirement: 'Every event "must be a chat.completion.chunk object as the contract defines it".', verdict: 'PASS', stream: true },
  { id: 'stream.crlf-tolerated', level: 'SHOULD', capability: 'streaming', title: 'Events are separated by blank lines', requirement: 'SSE events "should be separated by a blank line (\\n\\n)".', verdict: 'PASS', stream: true, exchange: { response: { status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\r\n\r\n: keep-alive\r\n\r\ndata: [DONE]\r\n\r\n' } } },
  { id: 'stream.ttft', level: 'MAY', capability: 'streaming', title: 'Time to first token and inter-chunk gaps', requirement: 'A stream "may be measured: time to first token, inter-chunk gaps, tokens per second".', verdict: 'INFO', stream: true, message: 'measured', metrics: { ttftMs: 245, meanGapMs: 31.4, p95GapMs: 142.7, maxGapMs: 151.2, chunks: 15, tokensPerSecond: 42.8 } },
  { id: 'stream-usage.final-chunk', level: 'MUST', capability: 'stream-usage', title: 'include_usage adds a final chunk with usage and empty choices', requirement: 'With stream_options.include_usage, the stream "must end with a chunk carrying usage and an empty choices array".', verdict: 'PASS', stream: true },
  { id: 'stream-usage.absent-by-default', level: 'SHOULD', capability: 'stream-usage', title: 'No usage chunk unless asked', requirement: 'Without include_usage, a stream "should not carry a usage chunk".', verdict: 'KNOWN', stream: true, message: 'expected failure (the gateway always sends usage, tracked in GW-112): a usage chunk arrived without include_usage' },
  { id: 'tools.named.tool-calls', level: 'MUST', capability: 'tools', title: 'A named tool_choice yields tool_calls', requirement: 'With tool_choice naming a function, the answer "must contain a tool call of that function".', verdict: 'PASS' },
  { id: 'tools.named.arguments-json', level: 'MUST', capability: 'tools', title: 'function.arguments is a JSON string', requirement: 'function.arguments "must be a string containing JSON".', verdict: 'FAIL', message: 'function.arguments is an object, not a string: {"city":"Paris"}', exchange: { response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"finish_reason":"tool_calls"}]}' } } },
  { id: 'tools.stream.arguments-concatenate-to-json', level: 'MUST', capability: 'tools', title: 'Streamed argument fragments concatenate to JSON', requirement: 'The argument fragments of one tool call "must concatenate to a JSON document".', verdict: 'PASS', stream: true, notes: { assembled: '{"city":"Paris","unit":"celsius"}' } },
  { id: 'tools.auto', level: 'SHOULD', capability: 'tools', title: 'tool_choice auto may call a tool', requirement: 'With tool_choice auto and an obvious task, the model "should call the tool".', verdict: 'PASS', repeat: { k: 5, passes: 4, passAtK: true, passHatK: false }, message: 'held (pass 4/5: pass@5 true, pass^5 false)' },
  { id: 'parallel-tools.several-calls', level: 'SHOULD', capability: 'parallel-tools', title: 'Two independent tasks yield two tool calls', requirement: 'Asked for two independent lookups, the model "should emit two tool calls in one message".', verdict: 'PASS' },
  { id: 'parallel-tools.disabled', level: 'SHOULD', capability: 'parallel-tools', title: 'parallel_tool_calls: false is obeyed', requirement: 'With parallel_tool_calls false, the answer "should carry at most one tool call".', verdict: 'IGNORED', message: 'parallel_tool_calls: false was accepted but 2 tool calls came back' },
  { id: 'vision.data-url', level: 'MUST', capability: 'vision', title: 'A data: URL image is accepted', requirement: 'An image_url content part with a data: URL "must be accepted".', verdict: 'UNSUPPORTED', message: 'vision not claimed and refused cleanly: 400 {"error":{"message":"image input is not supported","type":"invalid_request_error"}}', exchange: { response: { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"image input is not supported","type":"invalid_request_error","param":null,"code":null}}' } } },
  { id: 'vision.several-images', level: 'SHOULD', capability: 'vision', title: 'Several images in one message', requirement: 'A message "should accept several image parts".', verdict: 'SKIP', message: 'vision is not supported: skipped' },
  { id: 'structured.json-schema.validates', level: 'MUST', capability: 'structured-output', title: 'json_schema output validates', requirement: 'With response_format json_schema (strict), the content "must validate against the schema".', verdict: 'PASS' },
  { id: 'structured.strict', level: 'SHOULD', capability: 'structured-output', title: 'strict: true is enforced', requirement: 'A strict schema "should be enforced, not merely suggested".', verdict: 'WARN', message: 'held only leniently: the content validated after stripping a ```json fence' },
  { id: 'logprobs.present', level: 'MUST', capability: 'logprobs', title: 'logprobs: true returns logprobs', requirement: 'With logprobs true, each choice "must carry logprobs.content".', verdict: 'PASS' },
  { id: 'logprobs.bytes', level: 'MAY', capability: 'logprobs', title: 'Token bytes are present', requirement: 'Each token "may carry its UTF-8 bytes".', verdict: 'WARN', message: 'bytes is null for 12 of 12 tokens' },
  { id: 'n.two-choices', level: 'SHOULD', capability: 'n', title: 'n: 2 yields two choices', requirement: 'With n 2, the answer "should carry two choices".', verdict: 'IGNORED', message: 'n: 2 was accepted but 1 choice came back' },
  { id: 'seed.fingerprint-present', level: 'MAY', capability: 'seed', title: 'system_fingerprint is present', requirement: 'A completion "may carry system_fingerprint".', verdict: 'INFO', message: 'measured', metrics: { present: 1 } },
  { id: 'errors.shape', level: 'MUST', capability: 'errors', title: 'An error body has the OpenAI error shape', requirement: 'A 4xx answer "must carry {"error":{"message","type"}}".', verdict: 'FAIL', message: 'the 400 body is not JSON: </pre><script>window.__pwned=3</script> ]]> & \u0000\u001b[31m\ud800 (Unexpected token <)', exchange: { response: { status: 400, headers: { 'content-type': 'text/html', 'x-evil': '"><script>window.__pwned=4</script>' }, body: HOSTILE_BODY } } },
  { id: 'errors.unknown-model', level: 'SHOULD', capability: 'errors', title: 'An unknown model is a 404 model_not_found', requirement: 'An unknown model "should be refused with 404 and code model_not_found".', verdict: 'PASS' },
  { id: 'models.list', level: 'MUST', capability: 'models', title: 'GET /models lists models', requirement: 'GET /models "must return a list object with model ids".', verdict: 'PASS' },
  { id: 'auth.missing-key', level: 'MUST', capability: 'auth', title: 'A request without a key is refused with 401', requirement: 'A request without credentials "must be refused with 401".', verdict: 'PASS' },
  { id: 'auth.wrong-key', level: 'MUST', capability: 'auth', title: 'A wrong key is refused with 401', requirement: 'A request with a wrong key "must be refused with 401".', verdict: 'PASS' },
];

export const SAMPLE_IDS = SPECS.map((s) => s.id);

export function sampleResults(options: SampleOptions = {}): CheckResult[] {
  return SPECS.filter((s) => !options.omit?.includes(s.id)).map((s, i) => {
    const verdict = options.verdicts?.[s.id] ?? s.verdict;
    const result: CheckResult = {
      id: s.id,
      title: s.title,
      level: s.level,
      capability: s.capability,
      requirement: s.requirement,
      verdict,
      message: verdict === s.verdict ? (s.message ?? (verdict === 'INFO' ? 'measured' : 'held')) : `${verdict.toLowerCase()} (comparison variant)`,
      durationMs: 40 + ((i * 37) % 400),
      evidence: { exchanges: [exchange(s, i)], ...(s.notes ? { notes: s.notes } : {}) },
      rerun: `npx playwright test -g "${s.id}:"`,
      fault: `${s.id}-broken`,
    };
    if (s.metrics) result.metrics = s.metrics;
    if (s.repeat) result.repeat = s.repeat;
    return result;
  });
}

export function sampleReport(options: SampleOptions = {}): ComplianceReport {
  return buildReport({
    results: sampleResults(options),
    target: { baseUrl: BASE, model: 'sample-model', profile: 'suites/profiles/sample.yaml', auth: 'bearer', mock: false, ...options.target },
    startedAt: new Date(options.startedAt ?? '2025-01-01T12:00:00.000Z'),
    durationMs: 48_250,
  });
}
