// node:http helpers shared by the transports: reading a request body, and writing a plan to a
// response (the node:http PlanSink of plan-writer.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writePlan, type PlanSink, type StopWriting } from './plan-writer.ts';
import type { ResponsePlan } from './types.ts';

const EMPTY = new Uint8Array(0);

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

/**
 * Bytes go out as planned, never buffered: the headers with the first send (or alone, flushed, when
 * it has no bytes); the last send ends the response in the same packet; a reset destroys the socket
 * once what was written is flushed.
 */
class ResponseSink implements PlanSink {
  constructor(
    private readonly res: ServerResponse,
    private readonly plan: ResponsePlan,
  ) {}

  send(bytes: Uint8Array, last: boolean): void {
    const res = this.res;
    if (res.destroyed) return; // the client left; the 'close' listener stops the writer
    if (!res.headersSent) {
      if (this.plan.recorded) res.sendDate = false;
      res.writeHead(this.plan.status, this.plan.headers);
    }
    if (last) res.end(bytes);
    else if (bytes.byteLength > 0) res.write(bytes);
    else res.flushHeaders();
  }

  reset(): void {
    destroyAfterFlush(this.res);
  }
}

/** Write a plan to a node response; what it returns stops the writing early (e.g. at server close). */
export function writeResponse(plan: ResponsePlan, res: ServerResponse): StopWriting {
  const stop = writePlan(plan, new ResponseSink(res, plan));
  if (!res.writableEnded) res.once('close', stop);
  return stop;
}
