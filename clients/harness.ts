// The client-conformance harness: runs each client (a separate program) against every fixture that
// has an `expect`, compares what it printed with the expect (compare.ts) and gives a verdict:
//   PASS   the client assembled what the fixture expects (on the fields it is able to report)
//   FAIL   it did not; `diff` says how. An unexpected FAIL makes `npm run clients` exit non-zero.
//   KNOWN  it did not, and clients/known.yaml waives exactly those differences (a known client bug or
//          limitation, with the reason)
//   SKIP   the client cannot express the request (declared capabilities), or cannot run here
// Then the retry scenarios (retry.ts): each client with its library's default retries against a mock
// that fails a few times; the mock's journal counts the attempts. Findings there never fail the run.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Fixture } from '../lib/fixture-format.ts';
import { compare, formatDifferences } from './compare.ts';
import type { Capability, Difference } from './compare.ts';
import { CLIENTS_DIR, REPO_DIR } from './registry.ts';
import type { ClientSpec } from './registry.ts';
import { judgeRetry, outcomeOf, summarizeRetries, type RetryResult, type RetryScenario, type RetrySummary } from './retry.ts';

/** A client's result on one scenario of the clients × scenarios matrix (not a check's verdict, lib/results.ts). */
export type ClientVerdict = 'PASS' | 'FAIL' | 'KNOWN' | 'SKIP';

export interface Waiver {
  client: string;
  /** scenario ids or glob patterns (`*` any run of characters, `?` one), one or a list */
  scenario: string | string[];
  /** only fixtures with one of these tags */
  tags?: string[];
  /** only differences in these fields (prefixes, e.g. `refusal`, `tool_calls`) are waived; default: all */
  fields?: string[];
  reason: string;
}

export interface Result {
  client: string;
  scenario: string;
  verdict: ClientVerdict;
  /** readable differences (FAIL and KNOWN), one per line; "" otherwise */
  diff: string;
  /** KNOWN: the waiver's reason; SKIP: why */
  reason?: string;
  /** expect fields the client cannot report, left out of the comparison */
  notCompared?: string[];
  /** what the client printed (scenario key removed) */
  output?: unknown;
  /** PASS although a waiver exists: the waiver is stale */
  note?: string;
}

export interface ClientInfo {
  name: string;
  language: string;
  version: string;
  description: string;
  capabilities: Capability[];
  available: boolean;
  /** when not available: why */
  skipped?: string;
  /** wall time of the client's processes, milliseconds */
  durationMs: number;
}

export interface HarnessReport {
  generatedAt: string;
  baseUrl: string;
  clients: ClientInfo[];
  results: Result[];
  summary: Record<ClientVerdict, number>;
  /** FAIL results (the ones that make the run fail) */
  unexpected: number;
  /** the retry scenarios run, and each client's behaviour in them */
  retryScenarios: RetryScenario[];
  retries: RetryResult[];
  /** per client: retries transient errors, honours retry-after, gives up, retries a 400, dropped streams */
  retrySummary: RetrySummary[];
}

export const KNOWN_FILE = path.join(CLIENTS_DIR, 'known.yaml');

export function loadWaivers(file: string = KNOWN_FILE): Waiver[] {
  const value = parse(readFileSync(file, 'utf8')) ?? [];
  const list = Array.isArray(value) ? value : value.waivers;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of waivers`);
  list.forEach((w: any, i: number) => {
    if (typeof w?.client !== 'string' || !w.client) throw new Error(`${file}: [${i}].client missing`);
    if (!(typeof w.scenario === 'string' || (Array.isArray(w.scenario) && w.scenario.every((s: unknown) => typeof s === 'string'))))
      throw new Error(`${file}: [${i}].scenario must be an id or a list of ids`);
    if (typeof w.reason !== 'string' || !w.reason.trim()) throw new Error(`${file}: [${i}].reason missing`);
    if (w.tags !== undefined && !(Array.isArray(w.tags) && w.tags.every((t: unknown) => typeof t === 'string')))
      throw new Error(`${file}: [${i}].tags must be a list of tags`);
    if (w.fields !== undefined && !(Array.isArray(w.fields) && w.fields.every((f: unknown) => typeof f === 'string')))
      throw new Error(`${file}: [${i}].fields must be a list of field names`);
  });
  return list as Waiver[];
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Does the waiver name this scenario (by id or pattern, and tags)? */
export function waiverMatches(w: Waiver, client: string, fixture: Fixture): boolean {
  if (w.client !== client) return false;
  const patterns = Array.isArray(w.scenario) ? w.scenario : [w.scenario];
  if (!patterns.some((p) => glob(p).test(fixture.id))) return false;
  return !w.tags || w.tags.some((t) => fixture.tags?.includes(t));
}

function waiverFor(waivers: Waiver[], client: string, fixture: Fixture): Waiver | undefined {
  return waivers.find((w) => waiverMatches(w, client, fixture));
}

function covers(waiver: Waiver, d: Difference): boolean {
  if (!waiver.fields) return true;
  return waiver.fields.some((f) => d.field === f || d.field.startsWith(`${f}.`) || d.field.startsWith(`${f}[`) || d.field.endsWith(`.${f}`));
}

/** Request features a client must have to run the scenario at all. */
function required(fixture: Fixture): Capability[] {
  const r = fixture.request as Record<string, any>;
  const need: Capability[] = [r.stream ? 'stream' : 'non-stream'];
  if (typeof r.n === 'number' && r.n > 1) need.push('n');
  if (Array.isArray(r.tools) && r.tools.length) need.push('tools');
  return need;
}

/** The verdict of one client output against one fixture. */
export function judge(client: ClientSpec, fixture: Fixture, output: Record<string, any> | undefined, waivers: Waiver[], failure?: string): Result {
  const base = { client: client.name, scenario: fixture.id };
  const caps = new Set(client.capabilities);
  const waiver = waiverFor(waivers, client.name, fixture);
  let differences: Difference[];
  let notCompared: string[] = [];
  if (!output) {
    differences = [{ field: 'output', expected: 'one line of JSON', actual: failure ?? 'nothing' }];
  } else {
    const c = compare(fixture.expect ?? {}, output, caps);
    differences = c.differences;
    notCompared = c.notCompared;
  }
  const extra = notCompared.length ? { notCompared } : {};
  if (differences.length === 0) {
    // a waiver that names this scenario by id is stale now (a pattern may well match passing scenarios)
    const stale = waiver && (Array.isArray(waiver.scenario) ? waiver.scenario : [waiver.scenario]).includes(fixture.id);
    return { ...base, verdict: 'PASS', diff: '', ...extra, output, ...(stale ? { note: `waiver not needed any more: ${waiver.reason}` } : {}) };
  }
  if (waiver && differences.every((d) => covers(waiver, d))) {
    return { ...base, verdict: 'KNOWN', diff: formatDifferences(differences), reason: waiver.reason, ...extra, output };
  }
  const unwaived = waiver ? differences.filter((d) => !covers(waiver, d)) : differences;
  const waived = waiver ? differences.filter((d) => covers(waiver, d)) : [];
  let diff = formatDifferences(unwaived);
  if (waived.length) diff += `\n(waived by known.yaml: ${formatDifferences(waived).replace(/\n/g, '; ')})`;
  return { ...base, verdict: 'FAIL', diff, ...extra, output };
}

// ---- running the programs ---------------------------------------------------------------------------

interface ProcessResult {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

function runProcess(cmd: string, args: string[], input: string, env: Record<string, string>, timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve) => {
    // its own process group, so that a timeout also ends what it started (go run's binary, curl | awk)
    const child = spawn(cmd, args, { cwd: REPO_DIR, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, timedOut });
    });
    child.stdin.on('error', () => {}); // the program may exit without reading everything
    child.stdin.end(input);
  });
}

function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function failureOf(p: ProcessResult): string {
  if (p.timedOut) return `the client timed out${p.stderr.trim() ? `: ${tail(p.stderr)}` : ''}`;
  return `the client exited with code ${p.code}${p.stderr.trim() ? `: ${tail(p.stderr)}` : ''}`;
}

/** Parses the lines of a client's stdout; non-JSON lines are kept as problems. */
function parseLines(stdout: string): { byScenario: Map<string, Record<string, any>>; bad: string[] } {
  const byScenario = new Map<string, Record<string, any>>();
  const bad: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object' && typeof value.scenario === 'string') {
        const { scenario, ...rest } = value;
        byScenario.set(scenario, rest);
      } else bad.push(line);
    } catch {
      bad.push(line);
    }
  }
  return { byScenario, bad };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

export interface RunOptions {
  /** http://127.0.0.1:PORT (the /v1 prefix is added) */
  mockUrl: string;
  clients: ClientSpec[];
  fixtures: Fixture[];
  /** retry scenarios to run (default none); their fixtures must be among `fixtures` or `allFixtures` */
  retryScenarios?: RetryScenario[];
  /** where retry scenarios find their fixtures (default: `fixtures`) */
  allFixtures?: Fixture[];
  waivers: Waiver[];
  /** how many client programs run at once (default 2); retry scenarios, mostly waiting, run twice as many */
  concurrency?: number;
  /** progress lines (default: none) */
  log?: (line: string) => void;
}

/** Runs jobs ({scenario, request, headers?, retry?}) in one batch process, or one process each; outputs by scenario. */
async function runJobsOf(
  spec: ClientSpec,
  baseUrl: string,
  jobs: { scenario: string; request: unknown; headers?: Record<string, string>; retry?: boolean }[],
): Promise<{ outputs: Map<string, Record<string, any>>; failures: Map<string, string> }> {
  const outputs = new Map<string, Record<string, any>>();
  const failures = new Map<string, string>();
  if (jobs.length === 0) return { outputs, failures };
  const command = spec.command();
  const env = { OAI_BASE_URL: baseUrl, OAI_API_KEY: 'sk-mock', ...(command.env ?? {}) };
  if (spec.kind === 'batch') {
    const input = jobs.map((j) => JSON.stringify(j)).join('\n') + '\n';
    const p = await runProcess(command.cmd, command.args, input, env, spec.timeoutMs);
    const { byScenario, bad } = parseLines(p.stdout);
    for (const [id, out] of byScenario) outputs.set(id, out);
    const problem = p.code !== 0 || p.timedOut ? failureOf(p) : bad.length ? `unreadable output: ${bad[0].slice(0, 200)}` : 'no line for this scenario';
    for (const j of jobs) if (!outputs.has(j.scenario)) failures.set(j.scenario, problem);
  } else {
    await mapLimit(jobs, 4, async (j) => {
      // single clients: argv names the x-mock-scenario; the other headers travel in OAI_HEADERS
      const { 'x-mock-scenario': named, ...rest } = j.headers ?? {};
      const headers = Object.entries(rest).map(([k, v]) => `${k}: ${v}`).join('\n');
      const p = await runProcess(command.cmd, [...command.args, baseUrl, named ?? j.scenario], JSON.stringify(j.request), { ...env, OAI_HEADERS: headers }, spec.timeoutMs);
      const lines = p.stdout.split('\n').filter((l) => l.trim());
      try {
        if (lines.length !== 1) throw new Error(`${lines.length} lines`);
        outputs.set(j.scenario, JSON.parse(lines[0]));
      } catch (e) {
        failures.set(j.scenario, p.code !== 0 || p.timedOut ? failureOf(p) : `unreadable output (${(e as Error).message}): ${p.stdout.slice(0, 200)}`);
      }
    });
  }
  return { outputs, failures };
}

/** What the mock's journal saw of one session: the time of each request. */
async function attemptTimes(mockUrl: string, session: string): Promise<number[]> {
  const res = await fetch(`${mockUrl.replace(/\/+$/, '')}/__mock/journal?session=${encodeURIComponent(session)}`);
  if (!res.ok) throw new Error(`the mock's journal answered ${res.status} for session ${session}`);
  const body = (await res.json()) as { entries: { at: string }[] };
  return body.entries.map((e) => Date.parse(e.at));
}

async function runRetries(spec: ClientSpec, options: RunOptions): Promise<RetryResult[]> {
  const scenarios = options.retryScenarios ?? [];
  const baseUrl = `${options.mockUrl.replace(/\/+$/, '')}/v1`;
  const why = spec.unavailable();
  if (why) return scenarios.map((s) => ({ client: spec.name, scenario: s.id, verdict: 'SKIP', attempts: 0, waitsMs: [], outcome: '', findings: [], reason: why }));
  const pool = options.allFixtures ?? options.fixtures;
  const caps = new Set(spec.capabilities);
  const run = randomBytes(4).toString('hex');
  const sessionOf = (s: RetryScenario) => `retry/${spec.name}/${s.id}/${run}`;
  const results = new Map<string, RetryResult>();
  const jobs: { scenario: string; request: unknown; headers: Record<string, string>; retry: true }[] = [];
  for (const s of scenarios) {
    const fixture = pool.find((f) => f.id === s.fixture);
    if (!fixture) throw new Error(`retry scenario ${s.id}: no fixture ${s.fixture}`);
    const missing = required(fixture).filter((c) => !caps.has(c));
    if (missing.length) {
      const reason = `the client does not support: ${missing.join(', ')}`;
      results.set(s.id, { client: spec.name, scenario: s.id, verdict: 'SKIP', attempts: 0, waitsMs: [], outcome: '', findings: [], reason });
      continue;
    }
    jobs.push({ scenario: s.id, request: fixture.request, headers: { 'x-mock-scenario': fixture.id, 'x-mock-session': sessionOf(s), 'x-mock-fault': s.fault }, retry: true });
  }
  const { outputs, failures } = await runJobsOf(spec, baseUrl, jobs);
  for (const job of jobs) {
    const s = scenarios.find((x) => x.id === job.scenario)!;
    const fixture = pool.find((f) => f.id === s.fixture)!;
    const times = await attemptTimes(options.mockUrl, sessionOf(s));
    const waitsMs = times.slice(1).map((t, i) => t - times[i]);
    const output = outputs.get(s.id);
    const outcome = outcomeOf(fixture, output, caps, failures.get(s.id));
    const { findings, honoursRetryAfter } = judgeRetry(s, times.length, waitsMs, outcome);
    results.set(s.id, {
      client: spec.name,
      scenario: s.id,
      verdict: findings.length === 0 ? 'OK' : 'FINDING',
      attempts: times.length,
      waitsMs,
      outcome,
      ...(honoursRetryAfter === undefined ? {} : { honoursRetryAfter }),
      findings,
      ...(output ? { output } : {}),
    });
  }
  return scenarios.map((s) => results.get(s.id)!);
}

async function runClient(spec: ClientSpec, options: RunOptions): Promise<{ info: ClientInfo; results: Result[] }> {
  const started = Date.now();
  const baseUrl = `${options.mockUrl.replace(/\/+$/, '')}/v1`;
  const fixtures = options.fixtures.filter((f) => f.expect);
  const why = spec.unavailable();
  const info: ClientInfo = {
    name: spec.name,
    language: spec.language,
    version: why ? '(not available)' : spec.version(),
    description: spec.description,
    capabilities: spec.capabilities,
    available: !why,
    durationMs: 0,
  };
  if (why) {
    info.skipped = why;
    return { info, results: fixtures.map((f) => ({ client: spec.name, scenario: f.id, verdict: 'SKIP' as ClientVerdict, diff: '', reason: why })) };
  }
  const caps = new Set(spec.capabilities);
  const runnable: Fixture[] = [];
  const skipped = new Map<string, string>();
  for (const f of fixtures) {
    const missing = required(f).filter((c) => !caps.has(c));
    if (missing.length) skipped.set(f.id, `the client does not support: ${missing.join(', ')}`);
    else runnable.push(f);
  }
  const { outputs, failures } = await runJobsOf(spec, baseUrl, runnable.map((f) => ({ scenario: f.id, request: f.request })));
  const results = fixtures.map((f): Result => {
    const skip = skipped.get(f.id);
    if (skip) return { client: spec.name, scenario: f.id, verdict: 'SKIP', diff: '', reason: skip };
    return judge(spec, f, outputs.get(f.id), options.waivers, failures.get(f.id));
  });
  info.durationMs = Date.now() - started;
  return { info, results };
}

export async function runHarness(options: RunOptions): Promise<HarnessReport> {
  const concurrency = options.concurrency ?? 2;
  const done = await mapLimit(options.clients, concurrency, async (spec) => {
    options.log?.(`running ${spec.name} ...`);
    const r = await runClient(spec, options);
    const counts = countVerdicts(r.results);
    options.log?.(
      `${spec.name}: ${r.info.available ? `${counts.PASS} PASS, ${counts.FAIL} FAIL, ${counts.KNOWN} KNOWN, ${counts.SKIP} SKIP in ${(r.info.durationMs / 1000).toFixed(1)} s` : `SKIP (${r.info.skipped})`}`,
    );
    return r;
  });
  const retryScenarios = options.retryScenarios ?? [];
  const retries =
    retryScenarios.length === 0
      ? []
      : (
          await mapLimit(options.clients, concurrency * 2, async (spec) => {
            const started = Date.now();
            const r = await runRetries(spec, options);
            const findings = r.filter((x) => x.verdict === 'FINDING').length;
            const skipped = r.filter((x) => x.verdict === 'SKIP').length;
            options.log?.(`${spec.name}: retry scenarios: ${r.length - findings - skipped} OK, ${findings} with findings, ${skipped} SKIP in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            return r;
          })
        ).flat();
  const results = done.flatMap((d) => d.results);
  const summary = countVerdicts(results);
  return {
    generatedAt: new Date().toISOString(),
    baseUrl: options.mockUrl,
    clients: done.map((d) => d.info),
    results,
    summary,
    unexpected: summary.FAIL,
    retryScenarios,
    retries,
    retrySummary: retryScenarios.length === 0 ? [] : done.filter((d) => d.info.available).map((d) => summarizeRetries(d.info.name, retries)),
  };
}

export function countVerdicts(results: Result[]): Record<ClientVerdict, number> {
  const counts: Record<ClientVerdict, number> = { PASS: 0, FAIL: 0, KNOWN: 0, SKIP: 0 };
  for (const r of results) counts[r.verdict]++;
  return counts;
}
