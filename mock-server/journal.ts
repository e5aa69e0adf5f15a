// The journal: every request the mock answered, per session (`x-mock-session` header, else
// "default"), the last `limit` of each, for tests in any language to assert on what a client sent.
// Headers and bodies are stored as received and redacted when read out.
import { redactHeaders, redactJson, redactQuery, redactText } from '../lib/redact.ts';

export interface JournalEntry {
  seq: number;
  /** ISO time the request was answered */
  at: string;
  session: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** the parsed JSON body, or null (no body, or not JSON: see bodyText) */
  body: unknown;
  /** the body as text when it is not JSON (first 2000 characters) */
  bodyText?: string;
  /** a fixture id, "default" (the synthesizer), or "error"/"models"/"health"... */
  scenario: string;
  faults: string[];
  status: number;
  /** with a counted fault (fail-first, drop-once-after): the attempt number in the session */
  attempt?: number;
}

export interface JournalInput {
  session: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  rawBody: Uint8Array;
  scenario: string;
  faults: string[];
  status: number;
  /** with a counted fault: the attempt number (undefined without one) */
  attempt: number | undefined;
}

/** bodies up to this size are kept whole; of larger ones, the first 2000 bytes */
const MAX_BODY = 64 * 1024;

interface Stored {
  seq: number;
  at: number;
  session: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** a copy of the body (parsed when the journal is read: cheaper to keep than a JSON tree) */
  bytes?: Uint8Array;
  size: number;
  scenario: string;
  faults: string[];
  status: number;
  attempt?: number;
}

/** The last `limit` entries of one session, in a ring (no shifting on the hot path). */
class Ring {
  private readonly items: (Stored | undefined)[] = [];
  private next = 0;
  private size = 0;

  constructor(private readonly limit: number) {}

  push(item: Stored): void {
    if (this.items.length < this.limit) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.limit;
    this.size = Math.min(this.size + 1, this.limit);
  }

  toArray(): Stored[] {
    if (this.size < this.limit) return this.items.slice(0, this.size) as Stored[];
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)] as Stored[];
  }
}

export class Journal {
  private readonly sessions = new Map<string, Ring>();
  private seq = 0;

  constructor(
    private readonly limit = 1000,
    private readonly maxSessions = 200,
  ) {}

  record(input: JournalInput): void {
    let ring = this.sessions.get(input.session);
    if (!ring) {
      if (this.sessions.size >= this.maxSessions) {
        const oldest = this.sessions.keys().next().value;
        if (oldest !== undefined) this.sessions.delete(oldest);
      }
      ring = new Ring(Math.max(1, this.limit));
      this.sessions.set(input.session, ring);
    }
    const size = input.rawBody.byteLength;
    ring.push({
      seq: ++this.seq,
      at: Date.now(),
      session: input.session,
      method: input.method,
      path: input.path,
      query: input.query,
      headers: input.headers,
      bytes: size === 0 ? undefined : Buffer.from(input.rawBody.subarray(0, size > MAX_BODY ? 2000 : size)),
      size,
      scenario: input.scenario,
      faults: input.faults,
      status: input.status,
      attempt: input.attempt,
    });
  }

  entries(session = 'default'): JournalEntry[] {
    return (this.sessions.get(session)?.toArray() ?? []).map((e) => render(e));
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  clear(session?: string): void {
    if (session === undefined) this.sessions.clear();
    else this.sessions.delete(session);
  }
}

function render(s: Stored): JournalEntry {
  let body: unknown = null;
  let bodyText: string | undefined;
  if (s.bytes) {
    const text = Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength).toString('utf8');
    if (s.size > MAX_BODY) bodyText = `${text.slice(0, 2000)}… (${s.size} bytes, the rest not kept)`;
    else {
      try {
        body = JSON.parse(text);
      } catch {
        bodyText = text.slice(0, 2000);
      }
    }
  }
  const out: JournalEntry = {
    seq: s.seq,
    at: new Date(s.at).toISOString(),
    session: s.session,
    method: s.method,
    path: s.path,
    query: redactQuery(s.query),
    headers: redactHeaders(s.headers),
    body: body === null ? null : redactJson(body),
    scenario: s.scenario,
    faults: s.faults,
    status: s.status,
  };
  if (s.attempt !== undefined) out.attempt = s.attempt;
  if (bodyText !== undefined) out.bodyText = redactText(bodyText);
  return out;
}
