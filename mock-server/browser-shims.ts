// The few Node APIs the engine's modules use, for the browser bundle only (mock-server/browser-build.ts
// maps node:fs, node:path, node:url, node:buffer and msw/node to this module and injects its Buffer as
// the global). Node itself never loads this file.
//
// - fs: read-only, over the schemas and fixtures the build inlined (__OAI_COMPAT_FILES__, absolute
//   POSIX paths under /oai-compat); lib/validate.ts and lib/fixtures.ts read them as they do on disk
// - path, url: the POSIX subset those two modules call
// - Buffer: a Uint8Array with from/concat/byteLength/alloc/toString for utf8, latin1 and base64 (the engine keeps
//   Node's Buffer on its hot path, where it is faster than TextEncoder)
// - msw/node: setupServer is Node-only; the browser has startBrowserMock (mock-server/browser.ts)

declare const __OAI_COMPAT_FILES__: Record<string, string>;

const FILES: Record<string, string> = __OAI_COMPAT_FILES__;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---------------------------------------------------------------------------------------------
// node:path (POSIX)

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function resolve(...parts: string[]): string {
  let p = '/';
  for (const part of parts) p = part.startsWith('/') ? part : `${p}/${part}`;
  return normalize(p);
}

function join(...parts: string[]): string {
  return normalize(parts.join('/'));
}

function dirname(p: string): string {
  const n = normalize(p);
  return n.slice(0, n.lastIndexOf('/')) || '/';
}

function basename(p: string, ext?: string): string {
  const base = normalize(p).split('/').pop() ?? '';
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

const path = { sep: '/', resolve, join, dirname, basename, relative, normalize };
export default path;
export { basename, dirname, join, normalize, relative, resolve };

// ---------------------------------------------------------------------------------------------
// node:url

export function fileURLToPath(url: string | URL): string {
  const u = new URL(String(url));
  if (u.protocol !== 'file:') throw new TypeError(`The URL must be of scheme file: ${String(url)}`);
  return decodeURIComponent(u.pathname);
}

// ---------------------------------------------------------------------------------------------
// node:fs (read-only, the inlined files)

function toPath(file: string | URL): string {
  return normalize(typeof file === 'string' ? file : fileURLToPath(file));
}

function notFound(p: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${p}' (not inlined in the browser bundle)`), { code: 'ENOENT' });
}

function isDirectory(p: string): boolean {
  const prefix = p === '/' ? '/' : `${p}/`;
  return Object.keys(FILES).some((f) => f.startsWith(prefix));
}

export function readFileSync(file: string | URL): string {
  const p = toPath(file);
  const text = FILES[p];
  if (text === undefined) throw notFound(p);
  return text;
}

export function readdirSync(dir: string | URL): string[] {
  const p = toPath(dir);
  if (!isDirectory(p)) throw notFound(p);
  const prefix = p === '/' ? '/' : `${p}/`;
  const names = new Set<string>();
  for (const f of Object.keys(FILES)) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
  return [...names].sort();
}

export function statSync(file: string | URL): { isDirectory(): boolean; isFile(): boolean } {
  const p = toPath(file);
  const dir = isDirectory(p);
  if (!dir && FILES[p] === undefined) throw notFound(p);
  return { isDirectory: () => dir, isFile: () => !dir };
}

export function existsSync(file: string | URL): boolean {
  const p = toPath(file);
  return FILES[p] !== undefined || isDirectory(p);
}

// ---------------------------------------------------------------------------------------------
// node:buffer

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

// ---------------------------------------------------------------------------------------------
// msw/node

export function setupServer(): never {
  throw new Error('msw setupServer is Node-only; in a browser use startBrowserMock (mock-server/browser.ts)');
}
