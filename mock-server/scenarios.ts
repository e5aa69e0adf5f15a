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

/** What match rules look at, read from a request once (a request is matched against every ruled fixture). */
interface RequestFacts {
  stream: boolean;
  tools: boolean;
  tool_choice: string;
  response_format: string;
  n: number;
  logprobs: boolean;
  include_usage: boolean;
  has_image: boolean;
  last_role: unknown;
  /** the last user message, lower-case */
  text: string;
}

function factsOf(req: ChatRequest): RequestFacts {
  const tools = Array.isArray(req.tools) && req.tools.length > 0;
  const tc = req.tool_choice;
  return {
    stream: req.stream === true,
    tools,
    tool_choice: typeof tc === 'object' && tc !== null ? 'named' : typeof tc === 'string' ? tc : tools ? 'auto' : 'none',
    response_format: typeof req.response_format?.type === 'string' ? req.response_format.type : 'text',
    n: typeof req.n === 'number' ? req.n : 1,
    logprobs: req.logprobs === true,
    include_usage: req.stream_options?.include_usage === true,
    has_image: hasImage(req),
    last_role: Array.isArray(req.messages) ? req.messages[req.messages.length - 1]?.role : undefined,
    text: lastUserText(req).toLowerCase(),
  };
}

/** A fixture's match rules as [fact, wanted value] pairs (`contains` lower-cased). */
type Rules = [keyof RequestFacts | 'contains', unknown][];

function rulesOf(match: FixtureMatch): Rules {
  return Object.entries(match)
    .filter(([, want]) => want !== undefined)
    .map(([key, want]) => (key === 'contains' ? ['contains', String(want).toLowerCase()] : [key as keyof RequestFacts, want]));
}

function factsMatch(rules: Rules, facts: RequestFacts): boolean {
  for (const [key, want] of rules) {
    if (key === 'contains') {
      if (!facts.text.includes(want as string)) return false;
    } else if (!(key in facts) || facts[key] !== want) {
      return false; // a rule this engine does not know never matches
    }
  }
  return true;
}

/** Whether every rule of `match` holds for the request. */
export function matches(match: FixtureMatch, req: ChatRequest): boolean {
  return factsMatch(rulesOf(match), factsOf(req));
}

export class ScenarioIndex {
  readonly ids: string[];
  private readonly byId = new Map<string, Fixture>();
  /** fixtures with match rules, the most specific first */
  private readonly ruled: { fixture: Fixture; rules: Rules }[];

  constructor(fixtures: Fixture[]) {
    for (const f of fixtures) this.byId.set(f.id, f);
    this.ids = fixtures.map((f) => f.id);
    this.ruled = fixtures
      .map((f, order) => ({ f, order, weight: f.match ? Object.keys(f.match).length : 0 }))
      .filter((x) => x.f.match && x.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.order - b.order)
      .map((x) => ({ fixture: x.f, rules: rulesOf(x.f.match!) }));
  }

  get(id: string): Fixture | undefined {
    return this.byId.get(id);
  }

  /** The fixture whose match rules select this request, if any. */
  select(req: ChatRequest): Fixture | undefined {
    const facts = factsOf(req);
    for (const { fixture, rules } of this.ruled) if (factsMatch(rules, facts)) return fixture;
    return undefined;
  }

  get hasRules(): boolean {
    return this.ruled.length > 0;
  }
}
