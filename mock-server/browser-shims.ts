// Node's Buffer for the browser bundle only (mock-server/browser-build.ts maps node:buffer to this
// module and injects its Buffer as the global). Node itself never loads this file. The engine keeps
// Buffer on its hot path, where Node's is faster than TextEncoder; this one is a Uint8Array with
// from/concat/byteLength/alloc/toString for utf8, latin1 and base64, and node:buffer's isUtf8.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Buffer extends Uint8Array {
  static override from(value: any, encodingOrOffset?: any, length?: number): any {
    if (typeof value === 'string') {
      if (encodingOrOffset === 'latin1') {
        const out = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i) & 0xff;
        return out;
      }
      if (encodingOrOffset === 'base64') {
        const binary = atob(value);
        const out = new Buffer(binary.length);
        for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
        return out;
      }
      const bytes = encoder.encode(value);
      return new Buffer(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    if (value instanceof ArrayBuffer) {
      const offset = encodingOrOffset ?? 0;
      return new Buffer(value, offset, length ?? value.byteLength - offset);
    }
    const out = new Buffer(value.length);
    out.set(value);
    return out;
  }

  static concat(list: readonly Uint8Array[], totalLength?: number): Buffer {
    const out = new Buffer(totalLength ?? list.reduce((n, b) => n + b.byteLength, 0));
    let offset = 0;
    for (const b of list) {
      if (offset >= out.length) break;
      out.set(b.subarray(0, out.length - offset), offset);
      offset += b.byteLength;
    }
    return out;
  }

  static byteLength(text: string): number {
    return encoder.encode(text).byteLength;
  }

  static isBuffer(value: unknown): value is Buffer {
    return value instanceof Buffer;
  }

  static alloc(size: number): Buffer {
    return new Buffer(size);
  }

  static allocUnsafe(size: number): Buffer {
    return new Buffer(size);
  }

  override toString(encoding: string = 'utf8'): string {
    if (encoding === 'latin1') {
      let out = '';
      for (let i = 0; i < this.length; i += 8192) out += String.fromCharCode(...this.subarray(i, i + 8192));
      return out;
    }
    if (encoding === 'base64') {
      let binary = '';
      for (let i = 0; i < this.length; i++) binary += String.fromCharCode(this[i]);
      return btoa(binary);
    }
    return decoder.decode(this);
  }
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
