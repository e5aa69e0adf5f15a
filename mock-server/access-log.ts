// The standalone server's access log: one line per request, written when the response is over.
//   POST /v1/chat/completions 200 synth 3 ms
//   POST /v1/chat/completions 429 text-basic fault=fail-first:2:429 1 ms
//   POST /v1/chat/completions 404 error (model_not_found) 0 ms
// The path without its query string (which may carry a key), every line through redactText; never a
// header. Lines are collected and written once per turn of the event loop (a busy server does not make
// a write call per request).
import { redactText } from '../lib/redact.ts';
import { DEFAULT_SCENARIO } from './scenarios.ts';
import type { ResponsePlan } from './types.ts';

export interface AccessEntry {
  method: string;
  /** without the query string */
  path: string;
  plan: ResponsePlan;
  durationMs: number;
  /** the connection was reset, or the client left before the end */
  cut?: 'reset' | 'client left';
}

function errorCode(plan: ResponsePlan): string | undefined {
  if (plan.status < 400 || plan.writes.length !== 1 || plan.writes[0].bytes.byteLength > 4096) return undefined;
  try {
    const code = JSON.parse(Buffer.from(plan.writes[0].bytes).toString('utf8'))?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function formatAccessLine(e: AccessEntry): string {
  const scenario = e.plan.scenario === DEFAULT_SCENARIO ? 'synth' : e.plan.scenario;
  const code = errorCode(e.plan);
  const parts = [e.method, e.path, String(e.plan.status), scenario];
  if (code) parts.push(`(${code})`);
  if (e.plan.faults.length > 0) parts.push(`fault=${e.plan.faults.join(',')}`);
  if (e.cut) parts.push(`[${e.cut}]`);
  parts.push(`${Math.round(e.durationMs)} ms`);
  return redactText(parts.join(' '));
}

export class AccessLog {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void = (text) => void process.stdout.write(text)) {}

  record(entry: AccessEntry): void {
    this.pending.push(formatAccessLine(entry));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.write(text);
  }
}
