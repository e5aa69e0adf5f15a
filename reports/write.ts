// Writes every report file for one ComplianceReport into a directory.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderBadge } from './badge.ts';
import { renderComplianceHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import type { ComplianceReport } from './model.ts';

export const REPORT_FILES = ['compliance.json', 'compliance.html', 'junit.xml', 'badge.svg'] as const;

/** Write compliance.json, compliance.html, junit.xml and badge.svg into `dir`; returns their paths. */
export function writeAll(report: ComplianceReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const outputs: [string, string][] = [
    ['compliance.json', `${JSON.stringify(report, null, 2)}\n`],
    ['compliance.html', renderComplianceHtml(report)],
    ['junit.xml', renderJunit(report)],
    ['badge.svg', renderBadge(report)],
  ];
  return outputs.map(([name, content]) => {
    const file = path.join(dir, name);
    // Write then rename, so that a reader (a CI upload, a browser) never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    return file;
  });
}
