// Stream events as SSE bytes, one write per event, with the planned delays: the first event after
// `ttftMs`, every later one after `gapMs`. A stream plan starts with an empty write at delay 0 so
// that its headers go out at once.
import { EMPTY, utf8 } from './respond.ts';
import type { PlannedWrite, StreamEvent } from './types.ts';

export function frameEvent(event: StreamEvent): string {
  switch (event.kind) {
    case 'chunk':
      return `data: ${JSON.stringify(event.chunk)}\n\n`;
    case 'data':
      return event.data
        .split(/\r\n|\r|\n/)
        .map((line) => `data: ${line}\n`)
        .join('')
        .concat('\n');
    case 'comment':
      return event.text
        .split(/\r\n|\r|\n/)
        .map((line) => `: ${line}\n`)
        .join('')
        .concat('\n');
    default:
      return '';
  }
}

export function frameEvents(events: StreamEvent[], ttftMs: number, gapMs: number): PlannedWrite[] {
  const writes: PlannedWrite[] = [{ delayMs: 0, bytes: EMPTY }];
  events.forEach((event, i) => {
    writes.push({ delayMs: i === 0 ? ttftMs : gapMs, bytes: utf8(frameEvent(event)) });
  });
  return writes;
}
