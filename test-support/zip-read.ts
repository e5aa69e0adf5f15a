// Reads the entries of a zip archive (with fflate) for the secrets tests: Playwright's blob reports are
// zips, and its HTML report embeds its data as a base64 zip, so a plain-text scan of the files alone
// would miss a leaked key inside them.
import { unzipSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function readZip(zip: Uint8Array): ZipEntry[] {
  return Object.entries(unzipSync(zip)).map(([name, data]) => ({ name, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }));
}

/** The zip Playwright's HTML report embeds in index.html as a data: URL, if any. */
export function embeddedReportZip(html: string): Buffer | undefined {
  const base64 = /data:application\/zip;base64,([A-Za-z0-9+/=]*)/.exec(html)?.[1];
  return base64 === undefined ? undefined : Buffer.from(base64, 'base64');
}
