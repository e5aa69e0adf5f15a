// Reads the entries of a ZIP archive (stored or deflated) for the secrets test: Playwright's blob
// reports are zips, and its HTML report embeds its data as a base64 zip, so a plain-text scan of the
// files alone would miss a leaked key inside them.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('zip64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    if (compressed === 0xffffffff || local === 0xffffffff) throw new Error(`${name}: zip64 entries are not supported`);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: bad local header`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    if (method === 0) entries.push({ name, data: Buffer.from(raw) });
    else if (method === 8) entries.push({ name, data: inflateRawSync(raw) });
    else throw new Error(`${name}: compression method ${method} is not supported`);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The zip Playwright's HTML report embeds in index.html as a data: URL, if any. */
export function embeddedReportZip(html: string): Buffer | undefined {
  const marker = 'data:application/zip;base64,';
  const at = html.indexOf(marker);
  if (at < 0) return undefined;
  let end = at + marker.length;
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
  while (end < html.length && b64.includes(html[end])) end++;
  return Buffer.from(html.slice(at + marker.length, end), 'base64');
}
