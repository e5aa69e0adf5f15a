// A capture as a fixture, and the fixture on disk. A read that ends inside a UTF-8 character becomes
// a base64 write; `expect` is assembled with lib/assemble.ts. Secrets never reach the file: every
// string passes through lib/redact.ts, and the file is checked once more before it is written.
// Files are written atomically (temp file + rename in the same directory).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { assembleCompletion, assembleStream } from '../lib/assemble.ts';
import { fixtureBytes, type Fixture, type FixtureExpect, type FixtureWrite } from '../lib/fixture-format.ts';
import { validateFixture } from '../lib/fixtures.ts';
import { redactJson, redactText, redactUrl } from '../lib/redact.ts';
import { parseSseText } from '../lib/sse.ts';
import { chatUrl, type Capture } from './capture.ts';

/** `fixtures/recorded/name` or `.../name.yaml` → the file and the id. */
export function outPath(out: string): { file: string; id: string } {
  const file = out.endsWith('.yaml') ? out : `${out}.yaml`;
  const id = path.basename(file, '.yaml');
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw new Error(`the fixture name "${id}" must be kebab-case (it becomes the fixture id)`);
  return { file: path.resolve(file), id };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isStream(capture: Capture): boolean {
  return /^text\/event-stream\b/i.test(capture.headers['content-type'] ?? '');
}

/** Writes from reads: text when a read is valid UTF-8 on its own, base64 otherwise; every text redacted. */
export function writesFromReads(reads: Capture['reads']): FixtureWrite[] {
  const writes: FixtureWrite[] = reads.map(({ delay, bytes }) => {
    try {
      return { delay, data: redactText(UTF8.decode(bytes)) };
    } catch {
      return { delay, base64: Buffer.from(bytes).toString('base64') };
    }
  });
  // A secret could straddle two reads (or sit in a base64 read): check the whole body once more.
  // If redaction changes it, keep the redacted text, re-cut at event boundaries (the exact read
  // boundaries are lost, the secret is not written).
  let whole: string;
  try {
    whole = UTF8.decode(Buffer.concat(reads.map((r) => r.bytes)));
  } catch {
    return writes;
  }
  const clean = redactText(whole);
  const joined = (() => {
    try {
      return UTF8.decode(Buffer.concat(writes.map(fixtureBytes)));
    } catch {
      return undefined;
    }
  })();
  if (clean === whole || joined === clean) return writes;
  const blocks = clean.split(/(?<=\r\n\r\n|\n\n|\r\r)/).filter((b) => b.length > 0);
  return blocks.map((data, i) => ({ delay: reads[Math.min(i, reads.length - 1)]?.delay ?? 0, data }));
}

export interface BuildInput {
  id: string;
  title?: string;
  target: string;
  request: Record<string, unknown>;
  capture: Capture;
  at: Date;
  mode: 'replay' | 'proxy';
  notes?: string;
}

/** The fixture for a capture: redacted request, kept headers, writes or body, assembled expect. */
export function buildFixture(input: BuildInput): Fixture {
  const { capture } = input;
  const host = hostOf(input.target);
  const request = redactJson(input.request);
  const headers = { ...capture.headers };
  let response: Fixture['response'];
  let expect: FixtureExpect | undefined;
  const stream = isStream(capture);
  if (stream) {
    const writes = writesFromReads(capture.reads);
    response = { status: capture.status, headers, writes };
    try {
      const text = UTF8.decode(Buffer.concat(writes.map(fixtureBytes)));
      expect = assembleStream(parseSseText(text).events, { status: capture.status });
    } catch {
      expect = capture.status >= 400 ? { error: { status: capture.status, type: '' } } : undefined;
    }
  } else {
    if (!headers['content-type']) headers['content-type'] = 'application/octet-stream';
    const bytes = Buffer.concat(capture.reads.map((r) => r.bytes));
    let text: string | undefined;
    try {
      text = UTF8.decode(bytes);
    } catch {
      text = undefined;
    }
    let json: unknown;
    let parsed = false;
    if (text !== undefined) {
      try {
        json = JSON.parse(text);
        parsed = true;
      } catch {
        parsed = false;
      }
    }
    if (parsed) {
      const body = redactJson(json);
      response = { status: capture.status, headers, body };
      try {
        expect = assembleCompletion(body, { status: capture.status });
      } catch {
        expect = undefined;
      }
    } else {
      response = { status: capture.status, headers, raw: redactText(text ?? Buffer.from(bytes).toString('latin1')) };
    }
    if (!expect && capture.status >= 400) expect = { error: { status: capture.status, type: '' } };
  }
  const model = typeof request.model === 'string' ? request.model : 'a model';
  const fixture: Fixture = {
    id: input.id,
    title: input.title ?? `Recorded from ${host}: ${model}, ${stream ? 'stream' : 'non-stream'}, HTTP ${capture.status}`,
    source: {
      kind: 'recorded',
      from: host,
      at: input.at.toISOString(),
      notes: `recorded by mock-server/recorder.ts (${input.mode} mode) from POST ${redactUrl(chatUrl(input.target))}${input.notes ? `. ${redactText(input.notes)}` : ''}`,
    },
    request,
    response,
  };
  if (expect) fixture.expect = expect;
  return fixture;
}

function hostOf(target: string): string {
  try {
    return new URL(redactUrl(target)).host;
  } catch {
    return redactText(target);
  }
}

/** The YAML text of a fixture (long lines kept, block scalars for multi-line writes). */
export function fixtureToYaml(fixture: Fixture): string {
  return stringify(fixture, { lineWidth: 0 });
}

/**
 * Validate, check for secrets, and write atomically: a temp file in the same directory, then rename.
 * An interruption before the rename leaves no fixture (and the loader ignores dot-files).
 */
export function writeFixtureAtomic(file: string, fixture: Fixture): void {
  const text = fixtureToYaml(fixture);
  validateFixture(JSON.parse(JSON.stringify(fixture)), file, path.basename(file, '.yaml'));
  if (redactText(text) !== text) throw new Error(`refusing to write ${file}: it still contains a secret`);
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
