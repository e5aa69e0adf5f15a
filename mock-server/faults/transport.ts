// Transport faults: what a broken server or network does to the bytes of an answer. Each is data
// (id, description, parameter) plus hooks (types.ts). Streams: plans start with an empty write (the
// headers), then one write per SSE event when `eventAligned` is set or the answer was synthesized.
import { EMPTY, concatBytes, errorBody, isEventStream, utf8 } from '../respond.ts';
import type { Fault, FaultContext, PlannedWrite, ResponsePlan, StreamEvent } from '../types.ts';

function intParam(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  return Number(value);
}

function checkInt(min: number, max: number) {
  return (value: string): string | null => {
    const n = Number(value);
    return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? null : `expected an integer from ${min} to ${max}`;
  };
}

/** Keep the headers write and the first `n` event writes of a stream. */
function firstEvents(writes: PlannedWrite[], n: number): PlannedWrite[] {
  const out: PlannedWrite[] = [];
  let events = 0;
  for (const w of writes) {
    if (w.bytes.byteLength > 0) {
      if (events >= n) break;
      events++;
    }
    out.push(w);
  }
  return out;
}

/** The body of a non-stream plan, cut to its first half. */
function halfBody(plan: ResponsePlan): PlannedWrite[] {
  const body = concatBytes(plan.writes.map((w) => w.bytes));
  return [{ delayMs: plan.writes[0]?.delayMs ?? 0, bytes: body.subarray(0, Math.floor(body.byteLength / 2)) }];
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.byteLength - needle.byteLength; i++) {
    for (let j = 0; j < needle.byteLength; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function insertBytes(bytes: Uint8Array, at: number, extra: Uint8Array): Uint8Array {
  return concatBytes([bytes.subarray(0, at), extra, bytes.subarray(at)]);
}

const RETRY_HEADERS_429 = {
  'retry-after': '1',
  'retry-after-ms': '1000',
  'x-ratelimit-limit-requests': '60',
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-reset-requests': '1s',
  'x-ratelimit-limit-tokens': '150000',
  'x-ratelimit-remaining-tokens': '0',
  'x-ratelimit-reset-tokens': '1s',
};

const STATUS_BODIES: Record<number, [string, string, string | null]> = {
  400: ['The request was invalid (injected by the status fault).', 'invalid_request_error', null],
  401: ['Incorrect API key provided (injected by the status fault).', 'invalid_request_error', 'invalid_api_key'],
  403: ['You are not allowed to use this model (injected by the status fault).', 'permission_error', null],
  404: ['The model does not exist or you do not have access to it (injected by the status fault).', 'invalid_request_error', 'model_not_found'],
  408: ['The request timed out (injected by the status fault).', 'timeout_error', null],
  409: ['The request conflicts with another one (injected by the status fault).', 'invalid_request_error', null],
  422: ['The request could not be processed (injected by the status fault).', 'invalid_request_error', null],
  429: ['Rate limit reached for requests (injected by the status fault). Please try again in 1s.', 'requests', 'rate_limit_exceeded'],
  500: ['The server had an error while processing your request. Sorry about that! (injected by the status fault)', 'server_error', null],
  502: ['Bad gateway (injected by the status fault).', 'server_error', null],
  503: ['The engine is currently overloaded, please try again later (injected by the status fault).', 'server_error', null],
  504: ['Gateway timeout (injected by the status fault).', 'server_error', null],
};

export function statusPlan(code: number, scenario: string): ResponsePlan {
  const [message, type, errCode] = STATUS_BODIES[code] ?? [
    `HTTP ${code} (injected by the status fault).`,
    code >= 500 ? 'server_error' : 'invalid_request_error',
    null,
  ];
  const bytes = utf8(JSON.stringify(errorBody(message, type, null, errCode)));
  const extra: Record<string, string> = code === 429 ? RETRY_HEADERS_429 : code === 503 ? { 'retry-after': '1' } : {};
  return {
    status: code,
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength), ...extra },
    writes: [{ delayMs: 0, bytes }],
    ending: 'end',
    scenario,
    faults: [],
  };
}

const ERROR_EVENT = JSON.stringify(
  errorBody('The server had an error while processing your request. Sorry about that! (injected mid-stream)', 'server_error', null, null),
);

const MALFORMED = '{"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"bro';

const isStream = (plan: ResponsePlan, ctx: FaultContext) => isEventStream(plan.headers) || (ctx.stream === true && plan.status === 200 && !plan.headers['content-type']);

/** The plan cut by a connection reset after `events` stream events (non-stream: after half of the body). */
export function dropPlan(plan: ResponsePlan, ctx: FaultContext, events: number): ResponsePlan {
  return isStream(plan, ctx)
    ? { ...plan, writes: firstEvents(plan.writes, events), ending: 'destroy', heartbeat: undefined }
    : { ...plan, writes: halfBody(plan), ending: 'destroy', heartbeat: undefined };
}

export const transportFaults: Fault[] = [
  {
    id: 'status',
    description: 'Answer with an error status and the OpenAI envelope instead (429 adds retry-after and x-ratelimit-* headers, 503 retry-after).',
    param: { description: 'CODE: the HTTP status, 400-599 (default 500)', check: checkInt(400, 599) },
    plan: (plan, ctx) => statusPlan(intParam(ctx.param, 500), plan.scenario),
  },
  {
    id: 'drop-after',
    description: 'Reset the connection after N stream events (non-stream: after half of the body), without ending the response.',
    param: { description: 'N: events written before the drop (default 3)', check: checkInt(0, 1_000_000) },
    eventAligned: true,
    plan: (plan, ctx) => dropPlan(plan, ctx, intParam(ctx.param, 3)),
  },
  {
    id: 'stall-after',
    description: 'Stop writing after N stream events (non-stream: after half of the body) and keep the connection open until the client leaves.',
    param: { description: 'N: events written before the stall (default 3)', check: checkInt(0, 1_000_000) },
    eventAligned: true,
    plan: (plan, ctx) =>
      isStream(plan, ctx)
        ? { ...plan, writes: firstEvents(plan.writes, intParam(ctx.param, 3)), ending: 'hang', heartbeat: undefined }
        : { ...plan, writes: halfBody(plan), ending: 'hang', heartbeat: undefined },
  },
  {
    id: 'malformed-json',
    description: 'Streams: an event whose data is not JSON (inserted after the first event). Non-stream: a body that is not valid JSON.',
    events: (events) => {
      const out = [...events];
      out.splice(Math.min(1, out.length), 0, { kind: 'data', data: MALFORMED });
      return out;
    },
    plan: (plan, ctx) => {
      if (isStream(plan, ctx)) return plan;
      const body = concatBytes(plan.writes.map((w) => w.bytes));
      return { ...plan, writes: [{ delayMs: plan.writes[0]?.delayMs ?? 0, bytes: body.subarray(0, Math.max(0, body.byteLength - 2)) }] };
    },
  },
  {
    id: 'no-done',
    description: 'Streams: no `data: [DONE]` at the end (the body still ends normally).',
    events: (events) => events.filter((e) => !(e.kind === 'data' && e.data.trim() === '[DONE]')),
  },
  {
    id: 'wrong-content-type',
    description: 'Streams are sent as text/plain, JSON answers as text/html.',
    plan: (plan) => ({
      ...plan,
      headers: {
        ...plan.headers,
        'content-type': isEventStream(plan.headers) ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8',
      },
    }),
  },
  {
    id: 'slow-first-byte',
    description: 'Wait MS milliseconds before the response headers and the first byte.',
    param: { description: 'MS: the extra delay (default 2000)', check: checkInt(0, 600_000) },
    plan: (plan, ctx) => {
      const extra = intParam(ctx.param, 2000);
      const writes = plan.writes.length > 0 ? [...plan.writes] : [{ delayMs: 0, bytes: EMPTY }];
      writes[0] = { ...writes[0], delayMs: writes[0].delayMs + extra };
      return { ...plan, writes };
    },
  },
  {
    id: 'hang-after-headers',
    description: 'Send the response headers, then nothing, keeping the connection open until the client leaves.',
    plan: (plan) => ({ ...plan, writes: [{ delayMs: plan.writes[0]?.delayMs ?? 0, bytes: EMPTY }], ending: 'hang', heartbeat: undefined }),
  },
  {
    id: 'no-response',
    description: 'Accept the request and never answer: no status, no headers, until the client leaves.',
    plan: (plan) => ({ ...plan, writes: [], ending: 'hang', heartbeat: undefined }),
  },
  {
    id: 'reset',
    description: 'Reset the connection without any response.',
    plan: (plan) => ({ ...plan, writes: [], ending: 'destroy', heartbeat: undefined }),
  },
  {
    id: 'invalid-utf8',
    description: 'Bytes that are not UTF-8 (0xFF 0xFE) inside the first content string (streams: in an event).',
    eventAligned: true,
    plan: (plan) => {
      const marker = utf8('"content":"');
      const bad = new Uint8Array([0xff, 0xfe]);
      const writes = [...plan.writes];
      let i = writes.findIndex((w) => indexOfBytes(w.bytes, marker) >= 0);
      let at: number;
      if (i >= 0) at = indexOfBytes(writes[i].bytes, marker) + marker.byteLength;
      else {
        i = writes.findIndex((w) => w.bytes.byteLength > 0);
        if (i < 0) return plan;
        const dataPrefix = indexOfBytes(writes[i].bytes, utf8('data: '));
        at = dataPrefix >= 0 ? dataPrefix + 6 : 0;
      }
      writes[i] = { ...writes[i], bytes: insertBytes(writes[i].bytes, at, bad) };
      return { ...plan, writes };
    },
  },
  {
    id: 'never-end',
    description: 'Streams: leave out [DONE] and never end, sending a `: keep-alive` comment every MS milliseconds until the client leaves. Non-stream: the body never ends (whitespace every MS ms).',
    param: { description: 'MS: the keep-alive interval (default 500)', check: checkInt(1, 600_000) },
    events: (events) => events.filter((e) => !(e.kind === 'data' && e.data.trim() === '[DONE]')),
    plan: (plan, ctx) => {
      const everyMs = intParam(ctx.param, 500);
      if (isStream(plan, ctx)) return { ...plan, ending: 'hang', heartbeat: { everyMs, bytes: utf8(': keep-alive\n\n') } };
      const { 'content-length': _cl, ...headers } = plan.headers;
      return { ...plan, headers, ending: 'hang', heartbeat: { everyMs, bytes: utf8(' ') } };
    },
  },
  {
    id: 'error-event',
    description: 'Streams: after half of the chunks, an error object event (`data: {"error": {...}}`), then the stream ends without [DONE]. Non-stream answers are not changed.',
    events: (events) => {
      const chunks = events.filter((e) => e.kind === 'chunk').length;
      const keep = Math.max(1, Math.floor(chunks / 2));
      const out: StreamEvent[] = [];
      let seen = 0;
      for (const e of events) {
        if (e.kind === 'chunk') {
          if (seen >= keep) break;
          seen++;
        }
        if (e.kind === 'data' && e.data.trim() === '[DONE]') break;
        out.push(e);
      }
      out.push({ kind: 'data', data: ERROR_EVENT });
      return out;
    },
  },
  {
    id: 'crlf',
    description: 'Streams: CRLF line endings instead of LF (valid SSE that naive parsers get wrong).',
    plan: (plan, ctx) => {
      if (!isStream(plan, ctx)) return plan;
      return {
        ...plan,
        writes: plan.writes.map((w) => {
          if (w.bytes.byteLength === 0) return w;
          const out: number[] = [];
          w.bytes.forEach((b, i) => {
            if (b === 0x0a && (i === 0 || w.bytes[i - 1] !== 0x0d)) out.push(0x0d);
            out.push(b);
          });
          return { ...w, bytes: new Uint8Array(out) };
        }),
      };
    },
  },
  {
    id: 'split-writes',
    description: 'Every write is cut in two (across JSON, lines and multi-byte characters), the second half MS ms later.',
    param: { description: 'MS: the delay before each second half (default 1)', check: checkInt(0, 60_000) },
    plan: (plan, ctx) => {
      const ms = intParam(ctx.param, 1);
      const writes: PlannedWrite[] = [];
      for (const w of plan.writes) {
        if (w.bytes.byteLength < 2) {
          writes.push(w);
          continue;
        }
        const mid = Math.floor(w.bytes.byteLength / 2);
        writes.push({ delayMs: w.delayMs, bytes: w.bytes.subarray(0, mid) }, { delayMs: ms, bytes: w.bytes.subarray(mid) });
      }
      return { ...plan, writes };
    },
  },
];
