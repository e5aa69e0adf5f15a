// The mock's own routes, /__mock/*: the journal of a session (GET; DELETE empties it and starts its
// retry counts again, `*` for every session), and the fixtures and faults that can be selected.
import type { Fixture } from '../lib/fixture-format.ts';
import type { FaultAttempts } from './fault-attempts.ts';
import type { FaultRegistry } from './faults/index.ts';
import type { Journal } from './journal.ts';
import { jsonPlan } from './respond.ts';
import type { Route } from './routes.ts';
import type { MockRequest, ResponsePlan } from './types.ts';

export interface AdminState {
  journal: Journal;
  attempts: FaultAttempts;
  fixtures: Fixture[];
  faults: FaultRegistry;
  serverFaults: string[];
}

/** `session`: the request's x-mock-session (already cut to length), or undefined. */
export function adminPlan(r: Route, req: MockRequest, session: string | undefined, state: AdminState): ResponsePlan {
  if (r.kind === 'admin-journal') {
    const which = req.query.get('session') ?? session ?? 'default';
    if (req.method === 'DELETE') {
      state.journal.clear(which === '*' ? undefined : which);
      state.attempts.clear(which);
      return jsonPlan(200, { cleared: which }, 'admin');
    }
    return jsonPlan(200, { session: which, sessions: state.journal.sessionIds(), entries: state.journal.entries(which) }, 'admin');
  }
  if (r.kind === 'admin-fixtures') {
    const fixtures = state.fixtures.map((f) => ({
      id: f.id,
      title: f.title,
      stream: Array.isArray(f.response.writes),
      status: f.response.status,
      source: f.source?.kind,
      ...(f.match ? { match: f.match } : {}),
      ...(f.tags ? { tags: f.tags } : {}),
    }));
    return jsonPlan(200, { fixtures }, 'admin');
  }
  return jsonPlan(200, { serverFaults: state.serverFaults, faults: state.faults.describe() }, 'admin');
}
