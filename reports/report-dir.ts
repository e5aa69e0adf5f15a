// Where a run may write its reports. A run replaces compliance.json, compliance.html, junit.xml and
// badge.svg in REPORT_DIR, and Playwright empties REPORT_DIR/html: so a run writes only into a folder
// that is new, empty, or a previous oai-compat report (it carries the marker file written here).
// Any other folder (a project's own reports/, the repository root with REPORT_DIR=.) is refused before
// anything is written, with a message that says why. Files of the user's beside a report are left alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/config.ts';
import { REPORT_FORMAT } from './model.ts';
import { REPORT_FILES } from './write.ts';

export const REPORT_MARKER = '.oai-compat-report';

const MARKER_TEXT = `This folder holds oai-compat reports. Each run replaces ${REPORT_FILES.join(', ')} and html/ here;
other files are left alone. Delete this file and oai-compat will refuse to write here.
`;

/** What a run writes into a report folder (anything else there is the user's). */
const RUN_OUTPUTS = new Set<string>([...REPORT_FILES, 'html', REPORT_MARKER]);

/** Throws a ConfigError unless `dir` may receive a run's reports. */
export function checkReportDir(dir: string): void {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) return;
  const shown = dir === abs ? dir : `${dir} (${abs})`;
  if (!statSync(abs).isDirectory()) throw new ConfigError(`REPORT_DIR ${shown} is a file, not a folder: choose a folder for the reports`);
  const entries = readdirSync(abs);
  if (entries.length === 0 || entries.includes(REPORT_MARKER) || isEarlierReport(abs, entries)) return;
  const holds = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  throw new ConfigError(
    `REPORT_DIR ${shown} is not empty and is not an oai-compat report folder (it holds ${holds}). ` +
      `A run replaces ${REPORT_FILES.join(', ')} and empties html/ there, so oai-compat writes only into a new or empty folder, ` +
      `or one of its own earlier reports: choose another with --report-dir DIR (REPORT_DIR=DIR)`,
  );
}

/** A report folder from before the marker existed: only run outputs, and a compliance.json of ours. */
function isEarlierReport(abs: string, entries: string[]): boolean {
  if (!entries.every((e) => RUN_OUTPUTS.has(e) || e.endsWith('.tmp'))) return false;
  try {
    return JSON.parse(readFileSync(path.join(abs, 'compliance.json'), 'utf8')).format === REPORT_FORMAT;
  } catch {
    return false;
  }
}

/** Create the folder (if needed) and mark it as a report folder, so later runs may write there. */
export function claimReportDir(dir: string): void {
  const abs = path.resolve(dir);
  mkdirSync(abs, { recursive: true });
  const marker = path.join(abs, REPORT_MARKER);
  if (!existsSync(marker)) writeFileSync(marker, MARKER_TEXT);
}
