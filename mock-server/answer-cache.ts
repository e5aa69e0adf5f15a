// The engine's memory of its decisions. Answers are deterministic: the same request body on the same
// path (with the same x-mock-scenario) always gets the same fixture, the same refusal, or the same
// synthesized text, only with new ids and a new `created`. So a decision is remembered, and a
// synthesized answer as a template whose slots are those per-request values: a repeated request
// costs a few string joins instead of parsing, validation, synthesis and serialisation. The template
// is made when the request comes a second time (a body seen once costs only its place in the map).
// Used only for requests without faults (faults may count requests or change answers). Bounded:
// bodies up to MAX_BODY bytes, at most MAX_ENTRIES decisions and MAX_BYTES of keys and texts.
import type { Fixture } from '../lib/fixture-format.ts';
import type { ResponsePlan } from './types.ts';

const MAX_BODY = 16 * 1024;
const MAX_ENTRIES = 512;
const MAX_BYTES = 16 * 1024 * 1024;

/** What a synthesized answer gets anew on every request: its id, `created`, and its tool calls' ids. */
export interface FreshValues {
  id: string;
  created: number;
  callIds: string[];
}

/** A text with the places of the fresh values: parts[0] value parts[1] value ... parts[n]. */
export class TextTemplate {
  private constructor(
    private readonly parts: string[],
    /** per slot: 0 the id, 1 created, 2.. the call ids */
    private readonly slots: number[],
  ) {}

  /**
   * The template of `text`, whose fresh values are `values`. Only JSON keys are slots: `"id":"` and
   * `"created":` (inside a JSON string a quote is escaped, so these never occur in content). A key
   * whose value is not one of `values` means the text is not what this expects: no template.
   */
  static of(text: string, values: FreshValues): TextTemplate | undefined {
    const ids = [values.id, String(values.created), ...values.callIds];
    const found: { at: number; end: number; slot: number }[] = [];
    for (const [key, endOf] of [
      ['"id":"', (from: number) => text.indexOf('"', from)],
      ['"created":', (from: number) => endOfDigits(text, from)],
    ] as const) {
      for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
        const start = at + key.length;
        const end = endOf(start);
        if (end < 0) return undefined;
        const slot = ids.indexOf(text.slice(start, end));
        if (slot < 0 || (key === '"created":') !== (slot === 1)) return undefined;
        found.push({ at: start, end, slot });
      }
    }
    found.sort((a, b) => a.at - b.at);
    const parts: string[] = [];
    let from = 0;
    for (const f of found) {
      parts.push(text.slice(from, f.at));
      from = f.end;
    }
    parts.push(text.slice(from));
    return new TextTemplate(parts, found.map((f) => f.slot));
  }

  fill(values: FreshValues): string {
    let out = this.parts[0];
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      out += (slot === 0 ? values.id : slot === 1 ? String(values.created) : values.callIds[slot - 2]) + this.parts[i + 1];
    }
    return out;
  }

  get size(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }
}

function endOfDigits(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i > from ? i : -1;
}

export type Decision =
  | { kind: 'fixture'; fixture: Fixture }
  /** a refusal (its plan is shared: plans are immutable) */
  | { kind: 'plan'; plan: ResponsePlan }
  /** a synthesized answer: its texts (one, or one per SSE event), as first written, or as templates */
  | { kind: 'synth'; stream: boolean; calls: number; texts: string[]; values: FreshValues }
  | { kind: 'synth-templates'; stream: boolean; calls: number; templates: TextTemplate[] };

/** A decision as get() hands it out: synthesized answers as templates. */
export type Remembered = Exclude<Decision, { kind: 'synth' }>;

export class AnswerCache {
  private readonly entries = new Map<string, { decision: Decision; size: number }>();
  private bytes = 0;

  /** The key of a request, or undefined when its body is too large to remember. */
  static key(scenario: string | undefined, path: string, body: Uint8Array): string | undefined {
    if (body.byteLength > MAX_BODY) return undefined;
    return `${scenario ?? ''}\u0000${path}\u0000${Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1')}`;
  }

  /** The decision for `key`; a synthesized answer seen once becomes templates now (undefined if it cannot). */
  get(key: string): Remembered | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.decision.kind !== 'synth') return entry.decision;
    const { texts, values, stream, calls } = entry.decision;
    const templates = texts.map((text) => TextTemplate.of(text, values));
    if (templates.some((t) => t === undefined)) {
      this.entries.delete(key);
      this.bytes -= entry.size;
      return undefined;
    }
    const remembered: Remembered = { kind: 'synth-templates', stream, calls, templates: templates as TextTemplate[] };
    entry.decision = remembered;
    return remembered;
  }

  set(key: string, decision: Decision): void {
    const size = key.length + decisionSize(decision);
    if (size > MAX_BYTES / 16 || this.entries.has(key)) return;
    this.entries.set(key, { decision, size });
    this.bytes += size;
    while (this.entries.size > MAX_ENTRIES || this.bytes > MAX_BYTES) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.bytes -= entry.size;
    }
  }
}

function decisionSize(d: Decision): number {
  if (d.kind === 'synth') return d.texts.reduce((n, t) => n + t.length, 0);
  if (d.kind === 'synth-templates') return d.templates.reduce((n, t) => n + t.size, 0);
  if (d.kind === 'plan') return d.plan.writes.reduce((n, w) => n + w.bytes.byteLength, 0);
  return 64;
}
