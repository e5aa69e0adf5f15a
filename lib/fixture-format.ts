// The fixture format: one scenario per YAML file under fixtures/ (any depth), as TypeScript types and
// the bytes a fixture puts on the wire. The format itself is schemas/fixture.schema.json (for any
// language); the loader that checks files against it lives in lib/fixtures.ts (Node). Shared by the
// mock server (replay, also in the browser bundle), the recorder (writes it), the client harness
// (reads `expect`) and tests.

/** One write on the wire: the delay before it, then its bytes. */
export type FixtureWrite =
  | { delay: number; data: string } // UTF-8 text, written exactly (CRLF, comments and all)
  | { delay: number; base64: string }; // raw bytes, e.g. half of a multibyte character

export interface FixtureSource {
  /** recorded: captured by the recorder from a real endpoint; handwritten: written by a person. */
  kind: 'recorded' | 'handwritten';
  /** recorded: the server (host and product, never credentials); handwritten: the public document it follows. */
  from: string;
  /** ISO date of the recording or of the writing. */
  at?: string;
  notes?: string;
}

/** Rules that select this scenario for a request when no header or model names a scenario. */
export interface FixtureMatch {
  stream?: boolean;
  tools?: boolean; // request has a non-empty tools array
  tool_choice?: 'none' | 'auto' | 'required' | 'named';
  response_format?: 'text' | 'json_object' | 'json_schema';
  n?: number;
  logprobs?: boolean;
  include_usage?: boolean;
  has_image?: boolean;
  last_role?: 'user' | 'tool' | 'system' | 'developer' | 'assistant';
  /** substring of the last user message's text */
  contains?: string;
}

export interface ExpectedToolCall {
  id?: string;
  name: string;
  /** the parsed JSON of the concatenated arguments */
  arguments: unknown;
}

/** What a correct client assembles for one choice. Only the fields present are compared. */
export interface ExpectedChoice {
  content?: string | null;
  reasoning?: string;
  refusal?: string | null;
  tool_calls?: ExpectedToolCall[];
  finish_reason?: string;
}

export interface ExpectedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** choice 0 flat at the top level (what every client prints); `choices` only for n > 1. */
export interface FixtureExpect extends ExpectedChoice {
  choices?: ExpectedChoice[];
  usage?: ExpectedUsage;
  /** for error scenarios (an HTTP error status, or an error event inside a stream) */
  error?: { status: number; type: string; code?: string | null };
}

export interface FixtureResponse {
  status: number;
  /** header names lower-case; content-type always present */
  headers: Record<string, string>;
  /** non-stream: a JSON value, serialized with JSON.stringify; or `raw` for exact text */
  body?: unknown;
  raw?: string;
  /** stream: the exact writes */
  writes?: FixtureWrite[];
}

export interface Fixture {
  id: string; // kebab-case, unique, equal to the file name without .yaml
  title: string;
  source: FixtureSource;
  /** the request that produced it (API key never present) */
  request: Record<string, unknown>;
  match?: FixtureMatch;
  response: FixtureResponse;
  expect?: FixtureExpect;
  tags?: string[];
}

/** Is this a streamed answer (exact writes)? */
export function isStreamFixture(fixture: Fixture): boolean {
  return Array.isArray(fixture.response.writes);
}

/** The bytes of one write. */
export function fixtureBytes(write: FixtureWrite): Uint8Array {
  if ('base64' in write) return new Uint8Array(Buffer.from(write.base64, 'base64'));
  return new TextEncoder().encode(write.data);
}

/** The whole body exactly as it goes on the wire (writes concatenated, raw text, or JSON.stringify(body)). */
export function fixtureBodyBytes(fixture: Fixture): Uint8Array {
  const r = fixture.response;
  if (r.writes) {
    const parts = r.writes.map(fixtureBytes);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.byteLength;
    }
    return out;
  }
  if (r.raw !== undefined) return new TextEncoder().encode(r.raw);
  return new TextEncoder().encode(JSON.stringify(r.body));
}
