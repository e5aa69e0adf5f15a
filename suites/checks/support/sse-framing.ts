// The raw framing of an SSE body, judged on its text (the parsed events cannot show it): what a
// spec-compliant parser would choke on or silently drop.
import { show } from './text.ts';

export interface FramingReport {
  /** problems that break clients (lines that are not SSE fields, bad separators) */
  problems: string[];
  /** `event:` field names seen (legal SSE, but OpenAI streams have none) */
  eventFields: string[];
  /** other legal but unusual fields (id:, retry:) */
  otherFields: string[];
  comments: number;
  /** how many events (blocks of lines ended by a blank line) */
  blocks: number;
  lineEnding: 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';
}

/**
 * The raw framing of an SSE body, as OpenAI sends it: events are `data: <payload>` lines ended by a
 * blank line; comment lines (`:`) are legal. Reports lines that are not SSE fields at all, `data`
 * written without its colon, a body that does not end with a blank line, and the line endings used.
 */
export function framing(text: string): FramingReport {
  const report: FramingReport = { problems: [], eventFields: [], otherFields: [], comments: 0, blocks: 0, lineEnding: 'none' };
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lfOnly = (text.match(/(?<!\r)\n/g) ?? []).length;
  const crOnly = (text.match(/\r(?!\n)/g) ?? []).length;
  const kinds = [crlf > 0, lfOnly > 0, crOnly > 0].filter(Boolean).length;
  report.lineEnding = kinds > 1 ? 'mixed' : crlf ? 'CRLF' : lfOnly ? 'LF' : crOnly ? 'CR' : 'none';
  const lines = text.split(/\r\n|\r|\n/);
  // A body that ends with a line ending yields a trailing "" that is not a line.
  const complete = /(\r\n|\r|\n)$/.test(text);
  if (complete) lines.pop();
  let inBlock = false;
  let blockHasData = false;
  const problem = (lineNo: number, what: string) => {
    if (report.problems.length < 5) report.problems.push(`line ${lineNo}: ${what}`);
  };
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line === '') {
      if (inBlock && blockHasData) report.blocks++;
      inBlock = false;
      blockHasData = false;
      return;
    }
    if (line.startsWith(':')) {
      report.comments++;
      return;
    }
    inBlock = true;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field === 'data') {
      if (colon < 0) problem(lineNo, `"data" without a colon and payload`);
      else blockHasData = true;
      return;
    }
    if (field === 'event') {
      report.eventFields.push(line.slice(colon + 1).trim());
      return;
    }
    if (field === 'id' || field === 'retry') {
      report.otherFields.push(field);
      return;
    }
    problem(lineNo, `${show(line, 80)} is not an SSE line (expected "data: …", a ":" comment or a blank line)`);
  });
  if (inBlock) problem(lines.length, 'the body ends inside an event: the last event is not ended by a blank line (a spec-compliant parser drops it)');
  return report;
}
