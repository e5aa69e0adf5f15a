// Identical protocol requests are sent once per run: answers are kept in memory and, when the run
// has a cache directory (OAI_COMPAT_CACHE_DIR, made by the global setup), on disk, so that every
// worker shares them and a worker that Playwright restarts after a failed check does not send them
// again. Failed answers are kept as well (one cause, one verdict); an answer that would put a secret
// on disk is not. Large answers (a 50 MB body, a 200,000-event stream) stay in memory only, and only
// the most recent few: writing and re-reading them would cost as much as asking again, and memory
// stays bounded.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redactText } from '../../lib/redact.ts';
import type { Exchange } from './client.ts';

const memory = new Map<string, Promise<Exchange>>();

/** An answer larger than this (estimated in memory) is not written to disk. */
const LARGE_BYTES = 8 * 1024 * 1024;
/** Large answers kept in memory, oldest first, and the budget for them. */
const largeKept: { key: string; bytes: number }[] = [];
const LARGE_BUDGET_BYTES = 256 * 1024 * 1024;

/** About how much memory an exchange holds: its text, and for streams the raw bytes, events and parsed JSON. */
function estimatedBytes(x: Exchange): number {
  return x.text.length * 2 + (x.sse ? x.sse.totalBytes * 6 : 0);
}

function keepLarge(key: string, bytes: number): void {
  largeKept.push({ key, bytes });
  let total = largeKept.reduce((sum, e) => sum + e.bytes, 0);
  while (largeKept.length > 1 && total > LARGE_BUDGET_BYTES) {
    const oldest = largeKept.shift()!;
    memory.delete(oldest.key);
    total -= oldest.bytes;
  }
}

function fileFor(key: string): string | undefined {
  const dir = process.env.OAI_COMPAT_CACHE_DIR;
  return dir ? path.join(dir, `${createHash('sha256').update(key).digest('hex')}.json`) : undefined;
}

function serialize(x: Exchange): string {
  return JSON.stringify(x, (_k, v) => (v instanceof Uint8Array ? { $base64: Buffer.from(v).toString('base64') } : v));
}

function deserialize(text: string): Exchange {
  return JSON.parse(text, (_k, v) => (v && typeof v === 'object' && typeof v.$base64 === 'string' ? new Uint8Array(Buffer.from(v.$base64, 'base64')) : v));
}

function readDisk(key: string): Exchange | undefined {
  const file = fileFor(key);
  if (!file) return undefined;
  try {
    return deserialize(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeDisk(key: string, x: Exchange): void {
  const file = fileFor(key);
  if (!file) return;
  const text = serialize(x);
  if (redactText(text) !== text) return;
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs a repeated request
  }
}

/** The answer for `key`: from memory, from disk, or by calling `fetchOnce` (and keeping what it answered). */
export function cachedExchange(key: string, fetchOnce: () => Promise<Exchange>): Promise<Exchange> {
  let pending = memory.get(key);
  if (pending) return pending;
  const stored = readDisk(key);
  pending = stored ? Promise.resolve(stored) : fetchOnce();
  memory.set(key, pending);
  if (!stored) {
    pending.then(
      (x) => {
        // A failed answer is kept too: one cause, one verdict (the check that owns the request FAILs,
        // the others SKIP on the same evidence), and a hanging endpoint is not waited for again.
        if (estimatedBytes(x) > LARGE_BYTES) keepLarge(key, estimatedBytes(x));
        else writeDisk(key, x);
      },
      () => memory.delete(key),
    );
  }
  return pending;
}
