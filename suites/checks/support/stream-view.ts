// The checks' view of a streamed exchange: what lib/assemble.ts's accumulator makes of the events a
// client consumes (everything before the first data: [DONE]), plus what came after [DONE]. Built once
// per exchange: checks that share a request share its view (read it, never change it).
import { accumulateStream, type AccumulatedChoice, type AccumulatedToolCall, type StreamAccumulation } from '../../../lib/assemble.ts';
import { isObject } from '../../../lib/json.ts';
import type { Exchange } from '../types.ts';

export type { AccumulatedChoice as StreamChoice, AccumulatedToolCall as StreamToolCall };

export type StreamEvent = NonNullable<Exchange['events']>[number];

export interface StreamView extends StreamAccumulation {
  /** the data events a client consumes: before the first [DONE]; positions index into it */
  events: StreamEvent[];
  /** whether a data: [DONE] arrived */
  done: boolean;
  /** data events after [DONE] (raw data), [DONE] repeats included */
  afterDone: string[];
}

const views = new WeakMap<Exchange, StreamView>();

export function streamView(x: Exchange): StreamView {
  let view = views.get(x);
  if (!view) {
    const events = eventsBeforeDone(x);
    const done = x.doneIndex !== undefined && x.doneIndex >= 0;
    const afterDone = done ? (x.sse?.events ?? []).slice(x.doneIndex! + 1).map((e) => e.data) : [];
    view = { ...accumulateStream(events), events, done, afterDone };
    views.set(x, view);
  }
  return view;
}

/** The data events (parsed, [DONE] excluded) that arrived before the first `data: [DONE]`. */
export function eventsBeforeDone(x: Exchange): StreamEvent[] {
  const events = x.events ?? [];
  if (x.doneIndex === undefined || x.doneIndex < 0) return events;
  // x.events is sse.events without the [DONE] entries; the first doneIndex entries precede it.
  return events.slice(0, x.doneIndex);
}

/** Choice `index` of a stream, if any chunk carried it. */
export function streamChoice(x: Exchange, index = 0): AccumulatedChoice | undefined {
  return streamView(x).choices.find((c) => c.index === index);
}

/** An annotation chunk (object ""), as Azure sends for its content filter; clients skip it. */
export function isAnnotationChunk(chunk: unknown): boolean {
  return isObject(chunk) && chunk.object === '';
}

/** Each parsed chunk a client reads (annotation chunks left out), with its position. */
export function chunksOf(view: StreamView): { i: number; chunk: Record<string, any> }[] {
  return view.events.flatMap((e, i) => (isObject(e.json) && !isAnnotationChunk(e.json) ? [{ i, chunk: e.json }] : []));
}
