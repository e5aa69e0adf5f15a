// The one SSE reader of the project. Reads a fetch Response body incrementally, parses it with a
// spec-compliant parser (eventsource-parser), and keeps what a conformance check needs as evidence:
// every event with its arrival time, comments, the raw bytes, and why reading stopped.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
  /** milliseconds from the start of the request to the network read that completed this event */
  atMs: number;
  /** index of the network read that completed this event */
  read: number;
}

export type SseEnd =
  | 'eof' // the server ended the body
  | 'idle-timeout' // no bytes for idleTimeoutMs
  | 'deadline' // the overall deadline passed
  | 'reset' // the connection broke mid-body
  | 'invalid-utf8' // bytes that are not UTF-8
  | 'aborted' // the caller's signal fired
  | 'limit'; // more than maxTotalBytes arrived

export interface SseCapture {
  events: SseEvent[];
  comments: string[];
  /** every network read: when it arrived and how many bytes */
  reads: { atMs: number; bytes: number }[];
  /** the raw body (up to maxRawBytes) */
  raw: Uint8Array;
  /** total bytes received */
  totalBytes: number;
  end: SseEnd;
  /** a human-readable reason when end is not 'eof' */
  endDetail?: string;
  /** milliseconds from the start of the request to the end of reading */
  doneMs: number;
  /** parser complaints (unknown fields, invalid retry) */
  parseErrors: string[];
}

export interface ReadSseOptions {
  /** when the request started (performance.now()), so times are relative to it */
  startedAt?: number;
  /** stop when no bytes arrive for this long */
  idleTimeoutMs?: number;
  /** stop when the whole body takes longer than this from startedAt */
  deadlineMs?: number;
  signal?: AbortSignal;
  maxRawBytes?: number;
  /** stop reading (end 'limit') once more than this many bytes have arrived */
  maxTotalBytes?: number;
  /** called for every event as it arrives (e.g. to stop early) */
  onEvent?: (event: SseEvent) => void;
}

const DEFAULT_MAX_RAW = 4 * 1024 * 1024;

/** Read an SSE body to its end (or until a timeout, reset or invalid UTF-8), never throwing. */
export async function readSse(
  body: ReadableStream<Uint8Array> | null,
  options: ReadSseOptions = {},
): Promise<SseCapture> {
  const startedAt = options.startedAt ?? performance.now();
  const maxRaw = options.maxRawBytes ?? DEFAULT_MAX_RAW;
  const capture: SseCapture = {
    events: [],
    comments: [],
    reads: [],
    raw: new Uint8Array(0),
    totalBytes: 0,
    end: 'eof',
    doneMs: 0,
    parseErrors: [],
  };
  const rawParts: Uint8Array[] = [];
  let rawSize = 0;
  let readIndex = 0;
  let now = 0;

  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      const event: SseEvent = { data: message.data, atMs: now, read: readIndex };
      if (message.event !== undefined) event.event = message.event;
      if (message.id !== undefined) event.id = message.id;
      capture.events.push(event);
      options.onEvent?.(event);
    },
    onComment(comment: string) {
      capture.comments.push(comment);
    },
    onError(error: Error) {
      capture.parseErrors.push(error.message);
    },
  });
  const { end, detail } = await readStrictUtf8(body, startedAt, options, {
    onBytes(chunk) {
      now = performance.now() - startedAt;
      capture.reads.push({ atMs: now, bytes: chunk.byteLength });
      capture.totalBytes += chunk.byteLength;
      if (options.maxTotalBytes !== undefined && capture.totalBytes > options.maxTotalBytes) return `more than ${options.maxTotalBytes} bytes`;
      if (rawSize < maxRaw) {
        const part = chunk.subarray(0, maxRaw - rawSize);
        rawParts.push(part);
        rawSize += part.byteLength;
      }
      return undefined;
    },
    onText(text) {
      parser.feed(text);
      readIndex++;
    },
  });
  capture.end = end;
  if (detail) capture.endDetail = detail;
  capture.doneMs = performance.now() - startedAt;
  capture.raw = Buffer.concat(rawParts, rawSize);
  return capture;
}

export interface BodyCapture {
  /** the body decoded as UTF-8 (up to maxBytes) */
  text: string;
  /** bytes received (more than maxBytes when end is 'limit') */
  totalBytes: number;
  end: SseEnd;
  endDetail?: string;
  doneMs: number;
}

/**
 * Read a whole non-SSE body (a JSON answer) as strict UTF-8 with the same timeouts as readSse, never
 * throwing; stops with end 'limit' once more than maxBytes have arrived.
 */
export async function readBody(body: ReadableStream<Uint8Array> | null, options: ReadSseOptions & { maxBytes: number }): Promise<BodyCapture> {
  const startedAt = options.startedAt ?? performance.now();
  const parts: string[] = [];
  let totalBytes = 0;
  const { end, detail } = await readStrictUtf8(body, startedAt, options, {
    onBytes(chunk) {
      totalBytes += chunk.byteLength;
      return totalBytes > options.maxBytes ? `more than ${options.maxBytes} bytes` : undefined;
    },
    onText: (text) => parts.push(text),
  });
  const capture: BodyCapture = { text: parts.join(''), totalBytes, end, doneMs: performance.now() - startedAt };
  if (detail) capture.endDetail = detail;
  return capture;
}

/** What a read loop hands on: each network read's bytes as they arrive, then their text. */
interface Reading {
  /** a reason to stop with end 'limit', or undefined to read on */
  onBytes(chunk: Uint8Array): string | undefined;
  /** the text decoded so far (strict UTF-8, characters split across reads kept whole) */
  onText(text: string): void;
}

/** Reads a body to its end, a timeout, a reset, invalid UTF-8 or a limit, never throwing; says which. */
async function readStrictUtf8(
  body: ReadableStream<Uint8Array> | null,
  startedAt: number,
  options: ReadSseOptions,
  reading: Reading,
): Promise<{ end: SseEnd; detail?: string }> {
  if (!body) return { end: 'eof' };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reader = body.getReader();
  let totalBytes = 0;
  try {
    for (;;) {
      const result = await readWithTimeouts(reader, startedAt, options);
      if (result.kind === 'timeout') return { end: result.end, detail: result.detail };
      if (result.kind === 'error') return { end: options.signal?.aborted ? 'aborted' : 'reset', detail: result.detail };
      if (result.done) {
        try {
          reading.onText(decoder.decode());
        } catch {
          return { end: 'invalid-utf8', detail: `the body ends inside a UTF-8 sequence after ${totalBytes} bytes` };
        }
        return { end: 'eof' };
      }
      totalBytes += result.value.byteLength;
      const limit = reading.onBytes(result.value);
      if (limit) return { end: 'limit', detail: limit };
      let text: string;
      try {
        text = decoder.decode(result.value, { stream: true });
      } catch {
        return { end: 'invalid-utf8', detail: `invalid UTF-8 in the bytes ending at offset ${totalBytes}` };
      }
      reading.onText(text);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

type ReadResult =
  | { kind: 'read'; done: true; value?: undefined }
  | { kind: 'read'; done: false; value: Uint8Array }
  | { kind: 'timeout'; end: 'idle-timeout' | 'deadline' | 'aborted'; detail: string }
  | { kind: 'error'; detail: string };

function readWithTimeouts(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  startedAt: number,
  options: ReadSseOptions,
): Promise<ReadResult> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const settle = (r: ReadResult) => {
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = () => settle({ kind: 'timeout', end: 'aborted', detail: 'reading was aborted' });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.idleTimeoutMs !== undefined) {
      const ms = options.idleTimeoutMs;
      timers.push(setTimeout(() => settle({ kind: 'timeout', end: 'idle-timeout', detail: `no bytes for ${ms} ms` }), ms));
    }
    if (options.deadlineMs !== undefined) {
      const left = options.deadlineMs - (performance.now() - startedAt);
      const ms = options.deadlineMs;
      timers.push(
        setTimeout(
          () => settle({ kind: 'timeout', end: 'deadline', detail: `the body did not end within ${ms} ms` }),
          Math.max(0, left),
        ),
      );
    }
    reader.read().then(
      (r) => settle(r.done ? { kind: 'read', done: true } : { kind: 'read', done: false, value: r.value }),
      (error: unknown) => settle({ kind: 'error', detail: describeNetworkError(error) }),
    );
  });
}

/** A short description of a fetch/undici failure, e.g. "connection reset (ECONNRESET)". */
export function describeNetworkError(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code}): ${message}`;
  if (code === 'ECONNREFUSED') return `connection refused (${code})`;
  return code ? `${message} (${code})` : message;
}

/** Parse SSE text that is already complete (fixtures, recorded bodies) into its data payloads. */
export function parseSseText(text: string): { events: { data: string; event?: string }[]; comments: string[] } {
  const events: { data: string; event?: string }[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (m) => events.push(m.event === undefined ? { data: m.data } : { data: m.data, event: m.event }),
    onComment: (c) => comments.push(c),
  });
  parser.feed(text);
  parser.reset({ consume: true });
  return { events, comments };
}
