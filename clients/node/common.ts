// Shared plumbing of the Node clients: the batch protocol (JSON Lines in, one JSON line out per job)
// and an offline guard. Import this module FIRST, before any SDK, so that the guard wraps
// globalThis.fetch before an SDK captures it.
//
// Protocol (same for every batch client, see clients/README.md):
//   env OAI_BASE_URL  http://127.0.0.1:PORT/v1      env OAI_API_KEY (default sk-mock)
//   stdin   one job per line: {"scenario": "stream-text", "request": {...the chat completion body...}}
//           optional: "headers" {name: value} sent too, replacing the client's own of the same name
//           (x-mock-scenario included); "retry": true → the library's default retries (an application's
//           setting), else retries off so that each scenario is one request
//   stdout  one line per job:  {"scenario": "stream-text", "content": ..., "finish_reason": ..., ...}
//           or {"scenario": ..., "error": {"status", "type", "code"}}
//           or {"scenario": ..., "exception": "what the client program could not handle"}
import { createInterface } from 'node:readline';

export interface Job {
  scenario: string;
  request: Record<string, any>;
  /** extra request headers; they replace the client's own of the same name */
  headers?: Record<string, string>;
  /** retry as the library does by default (retry scenarios) */
  retry?: boolean;
}

/** The headers of a job's request: x-mock-scenario, then the job's own. */
export function jobHeaders(job: Job): Record<string, string> {
  return { 'x-mock-scenario': job.scenario, ...job.headers };
}

export interface ToolCallOut {
  id?: string;
  name: string;
  arguments: unknown;
}

export interface ChoiceOut {
  content?: string | null;
  reasoning?: string;
  refusal?: string | null;
  tool_calls?: ToolCallOut[];
  finish_reason?: string | null;
}

export interface Output extends ChoiceOut {
  choices?: ChoiceOut[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  error?: { status: number | null; type: string | null; code: string | null };
  exception?: string;
  /** external URLs the client tried to fetch (blocked); must stay empty */
  external_fetches?: string[];
}

export const BASE_URL = (process.env.OAI_BASE_URL ?? 'http://127.0.0.1:4010/v1').replace(/\/+$/, '');
export const API_KEY = process.env.OAI_API_KEY ?? 'sk-mock';

// ---- offline guard: only loopback hosts may be fetched --------------------------------------
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
let blocked: string[] = [];
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = ((input: any, init?: any) => {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : String(input?.url ?? input);
  let host = '';
  try {
    host = new URL(href).hostname;
  } catch {
    /* relative or odd URL: let fetch itself complain */
  }
  if (host && !LOOPBACK.has(host)) {
    blocked.push(href);
    return Promise.reject(new TypeError(`offline guard: blocked fetch to ${href}`));
  }
  return realFetch(input, init);
}) as typeof fetch;

/** null/"" → null; keeps other strings. */
export function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Parse tool-call arguments; a string that is not JSON is returned as it is (the harness shows the diff). */
export function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The error body's type/code of an HTTP error, from a parsed body or its text. */
export function errorFields(body: unknown): { type: string | null; code: string | null } {
  let value: any = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { type: null, code: null };
    }
  }
  const err = value && typeof value === 'object' ? (value.error && typeof value.error === 'object' ? value.error : value) : {};
  return {
    type: typeof err.type === 'string' ? err.type : null,
    code: err.code === undefined || err.code === null ? null : String(err.code),
  };
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Read the jobs from stdin, run them one after the other, print one line each. */
export async function runJobs(handle: (job: Job) => Promise<Output>): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const jobs: Job[] = [];
  for await (const line of rl) if (line.trim()) jobs.push(JSON.parse(line) as Job);
  for (const job of jobs) {
    blocked = [];
    let out: Output;
    try {
      out = await handle(job);
    } catch (e) {
      out = { exception: describe(e) };
    }
    if (blocked.length) out.external_fetches = blocked;
    process.stdout.write(`${JSON.stringify({ scenario: job.scenario, ...out })}\n`);
  }
}
