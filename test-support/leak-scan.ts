// Finds a secret in written bytes for the secrets test: plain, base64 (any alignment, both alphabets),
// inside zips (Playwright blob reports) and inside the zip Playwright's HTML report embeds.
import { embeddedReportZip, readZip } from './zip-read.ts';

/** The secret as it would appear base64-encoded at any byte alignment (standard and URL alphabets). */
export function base64Forms(secret: string): string[] {
  const out: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad, 0x78), Buffer.from(secret)]).toString('base64');
    // Drop the characters that also encode the neighbouring bytes.
    const core = b64.slice(pad ? 4 : 0, b64.length - 4);
    out.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...new Set(out)];
}

/** Every place one of `secrets` occurs in `data`, named `label` (zip entries as label!entry). */
export function findLeaks(label: string, data: Buffer, secrets: string[], depth = 0): string[] {
  const found: string[] = [];
  const text = data.toString('latin1');
  for (const s of secrets) {
    if (text.includes(s)) found.push(`${label}: contains the secret ${s.slice(0, 12)}…`);
    for (const form of base64Forms(s)) if (text.includes(form)) found.push(`${label}: contains the secret base64-encoded (${form.slice(0, 12)}…)`);
  }
  if (depth > 2) return found;
  if (data.length > 4 && data.readUInt32LE(0) === 0x04034b50) {
    for (const e of readZip(data)) found.push(...findLeaks(`${label}!${e.name}`, e.data, secrets, depth + 1));
  }
  const embedded = label.endsWith('.html') ? embeddedReportZip(text) : undefined;
  if (embedded) for (const e of readZip(embedded)) found.push(...findLeaks(`${label}!${e.name}`, e.data, secrets, depth + 1));
  return found;
}
