// Hashes and ids. Hashes make the synthesizer deterministic; ids are unique per engine.
// Web-standard APIs only (globalThis.crypto), so that the engine also runs in a browser.
/** FNV-1a, 32 bits. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function hashHex(text: string): string {
  return hash32(text).toString(16).padStart(8, '0');
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Ids like OpenAI's (`chatcmpl-` + 29 characters, `call_` + 24): a per-engine prefix and a counter. */
export class IdSource {
  private counter = 0;
  private readonly prefix: string;

  constructor(seed?: string) {
    if (seed !== undefined) {
      this.prefix = seed.replace(/[^A-Za-z0-9]/g, '').slice(0, 10) || 'mock';
    } else {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
      let p = '';
      for (const b of bytes) p += ALPHABET[b % ALPHABET.length];
      this.prefix = p;
    }
  }

  private next(width: number): string {
    const n = (++this.counter).toString(36);
    const pad = Math.max(0, width - this.prefix.length - n.length);
    return this.prefix + '0'.repeat(pad) + n;
  }

  completion(): string {
    return `chatcmpl-${this.next(29)}`;
  }

  call(): string {
    return `call_${this.next(24)}`;
  }
}
