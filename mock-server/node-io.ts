// node:http helpers shared by the transports.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Destroy the socket once what was written has been flushed. */
export function destroyAfterFlush(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  if (!res.headersSent) {
    socket.destroy();
    return;
  }
  socket.write(new Uint8Array(0), () => socket.destroy());
}

/** Read a request body, keeping at most `limit` bytes (the rest is drained and dropped). */
export function readBody(req: IncomingMessage, limit: number, done: (body: Uint8Array) => void): void {
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let kept = 0;
  req.on('data', (chunk: Buffer) => {
    if (kept >= limit) return;
    const part = kept + chunk.length > limit ? chunk.subarray(0, limit - kept) : chunk;
    kept += part.length;
    if (!first) first = part;
    else (chunks ??= [first]).push(part);
  });
  req.on('end', () => done(chunks ? Buffer.concat(chunks, kept) : (first ?? EMPTY)));
  req.on('error', () => done(EMPTY));
}

const EMPTY = new Uint8Array(0);
