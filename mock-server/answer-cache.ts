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

/**
 * An answer's bytes with the places of its fresh values. Filling copies the bytes and writes the new
 * values over the old ones: ids and `created` keep their length (ids are fixed-width, `created` has 10
 * digits until 2286), so every other byte stays where it was.
 */
export class TextTemplate {
  private constructor(
    private readonly bytes: Uint8Array,
    /** byte offset and length of each value, and which value: 0 the id, 1 created, 2.. the call ids */
    private readonly slots: { at: number; length: number; value: number }[],
  ) {}

  /**
   * The template of `text`, whose fresh values are `values`. Only JSON keys are slots: `"id":"` and
   * `"created":` (inside a JSON string a quote is escaped, so these never occur in content). A key
   * whose value is not one of `values` means the text is not what this expects: no template.
   */
  static of(text: string, values: FreshValues): TextTemplate | undefined {
    const ids = valuesOf(values);
    const found: { at: number; end: number; value: number }[] = [];
    for (const [key, endOf] of [
      ['"id":"', (from: number) => text.indexOf('"', from)],
      ['"created":', (from: number) => endOfDigits(text, from)],
    ] as const) {
      for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
        const start = at + key.length;
        const end = endOf(start);
        if (end < 0) return undefined;
        const value = ids.indexOf(text.slice(start, end));
        if (value < 0 || (key === '"created":') !== (value === 1)) return undefined;
        found.push({ at: start, end, value });
      }
    }
    found.sort((a, b) => a.at - b.at);
    // from character positions to byte offsets (the values are ASCII; the text around them may not be)
    const slots: { at: number; length: number; value: number }[] = [];
    let chars = 0;
    let bytes = 0;
    for (const f of found) {
      bytes += Buffer.byteLength(text.slice(chars, f.at), 'utf8');
      slots.push({ at: bytes, length: f.end - f.at, value: f.value });
      bytes += f.end - f.at;
      chars = f.end;
    }
    return new TextTemplate(Buffer.from(text, 'utf8'), slots);
  }

  /** The bytes with these values, or undefined when one has another length than the template's. */
  fill(values: FreshValues): Uint8Array | undefined {
    const ids = valuesOf(values).map((v) => Buffer.from(v, 'latin1'));
    for (const slot of this.slots) if (ids[slot.value].byteLength !== slot.length) return undefined;
    const out = Buffer.allocUnsafe(this.bytes.byteLength);
    out.set(this.bytes);
    for (const slot of this.slots) out.set(ids[slot.value], slot.at);
    return out;
  }

  get size(): number {
    return this.bytes.byteLength;
  }
}

function valuesOf(values: FreshValues): string[] {
  return [values.id, String(values.created), ...values.callIds];
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
  /** a synthesized answer as first written: its texts (one, or one per SSE event) and their fresh values */
  | { kind: 'synth'; stream: boolean; calls: number; texts: string[]; values: FreshValues }
  /** the same as a template of all the texts, with the byte length of each (an SSE event's write) */
  | { kind: 'synth-template'; stream: boolean; calls: number; template: TextTemplate; sizes: number[] };

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
    const template = TextTemplate.of(texts.join(''), values);
    if (!template) {
      this.forget(key);
      return undefined;
    }
    const remembered: Remembered = { kind: 'synth-template', stream, calls, template, sizes: texts.map((t) => Buffer.byteLength(t, 'utf8')) };
    entry.decision = remembered;
    return remembered;
  }

  forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
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
  if (d.kind === 'synth-template') return d.template.size;
  if (d.kind === 'plan') return d.plan.writes.reduce((n, w) => n + w.bytes.byteLength, 0);
  return 64;
}
