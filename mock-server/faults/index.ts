// The fault registry: transport faults (transport.ts) and the checks' contract faults (contract.ts).
// Faults are chosen per request with `x-mock-fault: id[,id2...]` (each `id` or `id:param`) and
// server-wide with the engine's `faults` option (CLI `--fault`); server-wide ones come first.
import { DEFAULT_SCENARIO, nearestIds } from '../scenarios.ts';
import type { ChatRequest, Fault, FaultContext } from '../types.ts';
import { contractFaults } from './contract.ts';
import { retryFaults } from './retry.ts';
import { transportFaults } from './transport.ts';

export { contractFaults, retryFaults, transportFaults };

export interface ActiveFault {
  fault: Fault;
  param?: string;
  /** as written, e.g. "drop-after:3" */
  spec: string;
  /** a counted fault: the how-many-th request of the session carrying it this one is */
  attempt?: number;
}

/** What a fault's hooks see of this request (`scenario`: the fixture id, else the synthesizer's). */
export function faultContext(a: ActiveFault, request: ChatRequest, route: 'chat' | 'models' | 'model', headers: Record<string, string>, scenario = DEFAULT_SCENARIO): FaultContext {
  const c: FaultContext = { request, route, headers, stream: request.stream === true, scenario };
  if (a.param !== undefined) c.param = a.param;
  if (a.attempt !== undefined) c.attempt = a.attempt;
  return c;
}

export class FaultRegistry {
  readonly byId = new Map<string, Fault>();
  /** ids registered twice (the first one wins) */
  readonly duplicates: string[] = [];

  constructor(readonly all: Fault[] = [...transportFaults, ...retryFaults, ...contractFaults]) {
    for (const f of all) {
      if (this.byId.has(f.id)) this.duplicates.push(f.id);
      else this.byId.set(f.id, f);
    }
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Parse fault specs ("id" or "id:param", comma-separated lists allowed). */
  parse(specs: Iterable<string>): { ok: true; active: ActiveFault[] } | { ok: false; message: string; unknown?: string } {
    const active: ActiveFault[] = [];
    for (const item of specs) {
      for (const raw of String(item).split(',')) {
        const spec = raw.trim();
        if (!spec) continue;
        let fault = this.byId.get(spec);
        let param: string | undefined;
        if (!fault) {
          const colon = spec.indexOf(':');
          if (colon > 0) {
            fault = this.byId.get(spec.slice(0, colon));
            param = spec.slice(colon + 1);
          }
        }
        if (!fault) {
          return {
            ok: false,
            unknown: spec,
            message: `Unknown fault ${JSON.stringify(spec.slice(0, 100))}. Nearest: ${nearestIds(spec.split(':')[0], this.ids).join(', ')}. Known faults (GET /__mock/faults describes them): ${this.ids.join(', ')}.`,
          };
        }
        if (param === undefined && fault.param?.required) {
          return { ok: false, message: `The fault "${fault.id}" needs a parameter: ${fault.id}:${fault.param.description}.` };
        }
        if (param !== undefined) {
          if (!fault.param) return { ok: false, message: `The fault "${fault.id}" takes no parameter (got "${spec}").` };
          const problem = fault.param.check?.(param) ?? null;
          if (problem) return { ok: false, message: `Invalid parameter for the fault "${fault.id}" in "${spec}": ${problem} (${fault.param.description}).` };
        }
        active.push(param === undefined ? { fault, spec } : { fault, param, spec });
      }
    }
    return { ok: true, active };
  }

  /** For GET /__mock/faults. */
  describe() {
    return [...this.byId.values()].map((f) => ({
      id: f.id,
      description: f.description,
      ...(f.param ? { param: f.param.description } : {}),
      ...(f.alsoBreaks ? { alsoBreaks: f.alsoBreaks } : {}),
      hooks: (['request', 'validate', 'completion', 'events', 'plan'] as const).filter((h) => typeof f[h] === 'function'),
      ...(f.counted ? { counted: 'per x-mock-session' } : {}),
    }));
  }
}
