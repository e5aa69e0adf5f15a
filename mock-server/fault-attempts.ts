// Counted faults (fail-first, drop-once-after): per session (x-mock-session), how many requests have
// carried each fault spec, so that a client's retries meet a server that recovers.
import type { ActiveFault } from './faults/index.ts';

/** sessions whose attempts are remembered (the oldest is forgotten first) */
const SESSIONS = 1000;

export class FaultAttempts {
  /** per session, requests seen per fault spec */
  private readonly seen = new Map<string, Map<string, number>>();

  /**
   * The faults with this request's attempt number on each counted one (copies: server-wide faults
   * are shared); `first` is the first counted fault's attempt, for the journal.
   */
  count(active: ActiveFault[], session: string): { active: ActiveFault[]; first?: number } {
    if (!active.some((a) => a.fault.counted)) return { active };
    let seen = this.seen.get(session);
    if (!seen) {
      if (this.seen.size >= SESSIONS) this.seen.delete(this.seen.keys().next().value!);
      seen = new Map();
      this.seen.set(session, seen);
    }
    let first: number | undefined;
    const counted = active.map((a) => {
      if (!a.fault.counted) return a;
      const attempt = (seen.get(a.spec) ?? 0) + 1;
      seen.set(a.spec, attempt);
      first ??= attempt;
      return { ...a, attempt };
    });
    return { active: counted, first };
  }

  /** Start counting again: for one session, or for all ('*' or undefined). */
  clear(session?: string): void {
    if (session === undefined || session === '*') this.seen.clear();
    else this.seen.delete(session);
  }
}
