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

/** Events already framed as SSE text (render.ts renderEventTexts) as writes. */
export function frameTexts(texts: string[], ttftMs: number, gapMs: number): PlannedWrite[] {
  const text = texts.join('');
  const bytes = Buffer.from(text, 'utf8');
  // as many bytes as UTF-16 units: every character is ASCII, each text's length is its byte length
  const ascii = bytes.byteLength === text.length;
  return frameBytes(bytes, texts.map((t) => (ascii ? t.length : Buffer.byteLength(t, 'utf8'))), ttftMs, gapMs);
}

/**
 * A stream's bytes as writes, one per event (`sizes`: each event's byte length), each a view of the one
 * buffer. Without delays (speed 0) the events are one write: they would go out as one packet anyway,
 * and only faults, which never take this path, need them apart.
 */
export function frameBytes(bytes: Uint8Array, sizes: number[], ttftMs: number, gapMs: number): PlannedWrite[] {
  if (ttftMs <= 0 && gapMs <= 0) return [{ delayMs: 0, bytes: EMPTY }, { delayMs: 0, bytes }];
  const writes: PlannedWrite[] = new Array(sizes.length + 1);
  writes[0] = { delayMs: 0, bytes: EMPTY };
  let offset = 0;
  for (let i = 0; i < sizes.length; i++) {
    writes[i + 1] = { delayMs: i === 0 ? ttftMs : gapMs, bytes: bytes.subarray(offset, offset + sizes[i]) };
    offset += sizes[i];
  }
  return writes;
}
