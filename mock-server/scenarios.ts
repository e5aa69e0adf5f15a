// Scenario selection: the `x-mock-scenario` header, a `model` naming a fixture, the fixtures' `match`
// rules (the most specific matching rule wins, then file order), else the default synthesizer.
import type { Fixture, FixtureMatch } from '../lib/fixture-format.ts';
import type { ChatRequest } from './types.ts';
import { lastUserText } from './conversation.ts';

export const DEFAULT_SCENARIO = 'default';

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The ids closest to `id` (edit distance, then substring hits), at most `k`. */
export function nearestIds(id: string, ids: string[], k = 3): string[] {
  const probe = id.slice(0, 200).toLowerCase();
  return ids
    .map((candidate) => {
      let d = editDistance(probe, candidate.toLowerCase());
      if (candidate.includes(probe) || probe.includes(candidate)) d = Math.min(d, Math.abs(candidate.length - probe.length) / 2);
      return { candidate, d };
    })
    .sort((x, y) => x.d - y.d || x.candidate.localeCompare(y.candidate))
    .slice(0, k)
    .map((x) => x.candidate);
}

function hasImage(req: ChatRequest): boolean {
  if (!Array.isArray(req.messages)) return false;
  return req.messages.some(
    (m: any) => Array.isArray(m?.content) && m.content.some((p: any) => p?.type === 'image_url' || p?.type === 'input_image'),
  );
}

/** Whether every rule of `match` holds for the request. */
export function matches(match: FixtureMatch, req: ChatRequest): boolean {
  const tools = Array.isArray(req.tools) && req.tools.length > 0;
  for (const [key, want] of Object.entries(match)) {
    if (want === undefined) continue;
    switch (key) {
      case 'stream':
        if ((req.stream === true) !== want) return false;
        break;
      case 'tools':
        if (tools !== want) return false;
        break;
      case 'tool_choice': {
        const tc = req.tool_choice;
        const got = typeof tc === 'object' && tc !== null ? 'named' : typeof tc === 'string' ? tc : tools ? 'auto' : 'none';
        if (got !== want) return false;
        break;
      }
      case 'response_format': {
        const got = typeof req.response_format?.type === 'string' ? req.response_format.type : 'text';
        if (got !== want) return false;
        break;
      }
      case 'n':
        if ((typeof req.n === 'number' ? req.n : 1) !== want) return false;
        break;
      case 'logprobs':
        if ((req.logprobs === true) !== want) return false;
        break;
      case 'include_usage':
        if ((req.stream_options?.include_usage === true) !== want) return false;
        break;
      case 'has_image':
        if (hasImage(req) !== want) return false;
        break;
      case 'last_role': {
        const last = Array.isArray(req.messages) ? req.messages[req.messages.length - 1] : undefined;
        if (last?.role !== want) return false;
        break;
      }
      case 'contains':
        if (!lastUserText(req).toLowerCase().includes(String(want).toLowerCase())) return false;
        break;
      default:
        return false; // a rule this engine does not know never matches
    }
  }
  return true;
}

export class ScenarioIndex {
  readonly ids: string[];
  private readonly byId = new Map<string, Fixture>();
  private readonly ruled: Fixture[];

  constructor(fixtures: Fixture[]) {
    for (const f of fixtures) this.byId.set(f.id, f);
    this.ids = fixtures.map((f) => f.id);
    this.ruled = fixtures
      .map((f, order) => ({ f, order, weight: f.match ? Object.keys(f.match).length : 0 }))
      .filter((x) => x.f.match && x.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.order - b.order)
      .map((x) => x.f);
  }

  get(id: string): Fixture | undefined {
    return this.byId.get(id);
  }

  /** The fixture whose match rules select this request, if any. */
  select(req: ChatRequest): Fixture | undefined {
    for (const f of this.ruled) if (matches(f.match!, req)) return f;
    return undefined;
  }

  get hasRules(): boolean {
    return this.ruled.length > 0;
  }
}
