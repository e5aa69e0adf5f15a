// Re-renders report files from existing compliance.json files, and compares endpoints.
//
//   oai-compat report render [reports/compliance.json] [--out DIR]    (npm run report:render -- ...)
//       writes compliance.html, junit.xml, badge.svg (and compliance.json) next to the input or into DIR
//   oai-compat report compare a.json b.json ... [--out DIR]           (npm run report:compare -- ...)
//       writes DIR/compare.html (default: reports/)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderCompareHtml } from './compare.ts';
import { REPORT_FORMAT, type ComplianceReport } from './model.ts';
import { levelLine, tallyByLevel } from './summary.ts';
import { writeAll } from './write.ts';

export function readReport(file: string): ComplianceReport {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON file (${(error as Error).message})`);
  }
  const r = doc as Partial<ComplianceReport>;
  if (!r || typeof r !== 'object' || !Array.isArray(r.checks) || !r.target || !r.summary) {
    throw new Error(`${file}: not a compliance report (expected format ${REPORT_FORMAT} with target, summary and checks)`);
  }
  if (r.format !== REPORT_FORMAT) process.stderr.write(`warning: ${file} has format ${String(r.format)}, this tool writes ${REPORT_FORMAT}\n`);
  return r as ComplianceReport;
}

function parseArgs(argv: string[]): { files: string[]; out?: string } {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '-o') out = argv[++i];
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a === '--') continue;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else files.push(a);
  }
  if (out === '') throw new Error('--out needs a directory');
  return { files, out };
}

const USAGE = `usage:
  oai-compat report compare a.json b.json ... [--out DIR]  compare endpoints check by check: writes DIR/compare.html (default reports/)
  oai-compat report render [compliance.json] [--out DIR]   re-render compliance.html, junit.xml, badge.svg from a compliance.json`;

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    (command ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { files, out } = parseArgs(rest);
  if (command === 'render') {
    const input = files[0] ?? path.join(process.env.REPORT_DIR || 'reports', 'compliance.json');
    if (files.length > 1) throw new Error('render takes one compliance.json');
    const report = readReport(input);
    const dir = out ?? path.dirname(input);
    const written = writeAll(report, dir);
    process.stdout.write(`${levelLine(tallyByLevel(report.checks))}\n${written.map((f) => `  wrote ${f}`).join('\n')}\n`);
    return 0;
  }
  if (command === 'compare') {
    if (files.length < 2) throw new Error('compare needs at least two compliance.json files');
    const inputs = files.map((f) => ({ source: f, report: readReport(f) }));
    const dir = out ?? (process.env.REPORT_DIR || 'reports');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'compare.html');
    writeFileSync(file, renderCompareHtml(inputs));
    process.stdout.write(`compared ${inputs.length} reports\n  wrote ${file}\n`);
    return 0;
  }
  throw new Error(`unknown command "${command}"\n${USAGE}`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('reports/cli.ts')) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`oai-compat report: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
