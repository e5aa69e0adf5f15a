// The one scheduler of a ResponsePlan, for both transports: it walks the plan's writes with their
// delays, joins each run of writes that follow one another without a delay into one send, and ends the
// response as the plan says (end, reset, or hang with or without a heartbeat). A transport only says
// how bytes reach its client, as a PlanSink: node:http in node-io.ts, a fetch Response for the msw
// handlers in fetch-response.ts. The timers are this module's; the transport stops them (StopWriting)
// when the client goes away or the server closes.
import { coalesce, concatBytes, EMPTY, noDelays } from './respond.ts';
import type { PlannedWrite, ResponsePlan } from './types.ts';

/** Where a plan's bytes go. The first `send` sends the status and headers before its bytes. */
export interface PlanSink {
  /**
   * One run of writes, their bytes joined; empty bytes send the headers alone, at once. `last`: the
   * body is complete after these bytes (the plan's ending is `end`).
   */
  send(bytes: Uint8Array, last: boolean): void;
  /** Reset the connection: once what was sent is flushed, or instead of any response if nothing was. */
  reset(): void;
}

/** Stops writing a plan early: no more sends, no timers left behind. */
export type StopWriting = () => void;

const NOTHING_TO_STOP: StopWriting = () => {};

type Timer = ReturnType<typeof setTimeout>;

/** Write `plan` to `sink`: synchronously as far as no delay intervenes, then on timers. */
export function writePlan(plan: ResponsePlan, sink: PlanSink): StopWriting {
  const { writes, ending } = plan;
  // the common case, and the one the benchmark measures: a whole body without delays, in one send
  if (ending === 'end' && noDelays(writes)) {
    sink.send(coalesce(writes), true);
    return NOTHING_TO_STOP;
  }
  let next = 0;
  let stopped = false;
  let timer: Timer | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const stop: StopWriting = () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    if (heartbeat !== undefined) clearInterval(heartbeat);
  };

  /** The run starting at `next` (its delay already waited for), then a wait for the next run, or the ending. */
  const sendRun = (): void => {
    timer = undefined;
    if (stopped) return;
    let end = next + 1;
    while (end < writes.length && writes[end].delayMs <= 0) end++;
    const bytes = joined(writes, next, end);
    next = end;
    if (next < writes.length) {
      sink.send(bytes, false);
      timer = setTimeout(sendRun, writes[next].delayMs);
    } else finish(bytes);
  };

  /** After the last run (`bytes`, or none when the plan has no writes). */
  const finish = (bytes: Uint8Array | undefined): void => {
    if (ending === 'end') {
      stopped = true;
      sink.send(bytes ?? EMPTY, true);
      return;
    }
    if (bytes !== undefined) sink.send(bytes, false);
    if (ending === 'destroy') {
      stopped = true;
      sink.reset();
      return;
    }
    // 'hang': nothing more, except a heartbeat, until the client goes away or the server closes
    const beat = plan.heartbeat;
    if (!beat) return;
    if (bytes === undefined) sink.send(EMPTY, false); // the headers go out before the first beat
    heartbeat = setInterval(() => sink.send(beat.bytes, false), beat.everyMs);
  };

  if (writes.length === 0) finish(undefined);
  else if (writes[0].delayMs > 0) timer = setTimeout(sendRun, writes[0].delayMs);
  else sendRun();
  return stop;
}

/** The bytes of writes[from..to) as one buffer (the one write's own bytes when the run is one write). */
function joined(writes: PlannedWrite[], from: number, to: number): Uint8Array {
  if (to === from + 1) return writes[from].bytes;
  const parts: Uint8Array[] = [];
  for (let i = from; i < to; i++) parts.push(writes[i].bytes);
  return concatBytes(parts);
}
