// The fault matrix: every check of the suite is proven by a seeded fault in the mock server.
//  1. against the unfaulted mock, every check PASSes (INFO for a MAY);
//  2. with `x-mock-fault: <check.fault>`, the check FAILs (MUST) or WARNs (SHOULD/MAY); an effect probe
//     may say IGNORED instead (the parameter was accepted without effect, which is what its fault does);
//  3. under that fault, no other MUST check of the same capability, or of core, FAILs — except the
//     checks that name the same fault and the ones the fault declares it also breaks (`alsoBreaks`).
// The link is written once, on the check (`fault`); which checks a fault proves is derived from it.
// A check whose fault the mock does not know fails the matrix. Runs the exact code the suite runs
// (suites/runner/run-check.ts), against the standalone mock started here, checks run concurrently.
//
// MATRIX_ONLY=core.,stream. limits the run to checks whose id starts with one of the prefixes;
// MATRIX_CONCURRENCY sets the pool size (default 12).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadProfile, type RunConfig } from '../lib/config.ts';
import { contractFaults } from '../mock-server/faults/contract.ts';
import { startMockServer, type RunningMockServer } from '../mock-server/standalone.ts';
import type { CheckResult, Verdict } from '../lib/results.ts';
import { allChecks } from './checks/index.ts';
import type { Check } from './checks/types.ts';
import { runCheck } from './runner/run-check.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODEL = 'mock-gpt';
const POOL = Math.max(1, Number(process.env.MATRIX_CONCURRENCY ?? 12));
const ONLY = (process.env.MATRIX_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

let server: RunningMockServer;
let base: RunConfig;

before(async () => {
  const apiKey = `sk-oai-compat-matrix-${randomBytes(8).toString('hex')}`;
  const profile = { ...loadProfile(path.join(HERE, 'profiles', 'mock.yaml')), timeouts: { request: 12_000, idle: 2_500, check: 40_000 } };
  // strict about model names (models: []), so the unknown-model checks are proven
  server = await startMockServer({ port: 0, host: '127.0.0.1', speed: 1, faults: [], requireKey: apiKey, models: [], quiet: true });
  base = { baseUrl: `${server.url}/v1`, apiKey, model: MODEL, profile, repeat: 1, reportDir: 'reports', mock: true, extraHeaders: {} };
});

after(async () => {
  await server?.close();
});

/** Run tasks with at most `size` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
  return results;
}

function faultId(spec: string): string {
  const colon = spec.indexOf(':');
  return colon > 0 && !server.engine.faults.byId.has(spec) ? spec.slice(0, colon) : spec;
}

/** The checks a contract fault legitimately fails besides the ones that name it. */
const alsoBreaks = new Map(contractFaults.map((f) => [f.id, new Set(f.alsoBreaks ?? [])]));

/** What a check must say under its own fault. */
function provenBy(check: Check, verdict: Verdict): boolean {
  if (verdict === 'IGNORED') return true; // an effect probe: accepted without effect
  return check.level === 'MUST' ? verdict === 'FAIL' : verdict === 'WARN';
}

function firstLine(text: string, max = 160): string {
  const line = text.split('\n')[0];
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

interface Row {
  check: Check;
  baseline?: CheckResult;
  faulted?: CheckResult;
  collateral: { id: string; message: string }[];
  problems: string[];
}

test('fault matrix: every check passes unfaulted, fails under its fault, and its fault breaks nothing else', async (t) => {
  const started = performance.now();
  const checks = ONLY.length > 0 ? allChecks.filter((c) => ONLY.some((p) => c.id.startsWith(p))) : allChecks;
  assert.ok(checks.length > 0, 'no checks selected');
  const rows = new Map<string, Row>(checks.map((c) => [c.id, { check: c, collateral: [], problems: [] }]));

  // Duplicate ids would make results ambiguous.
  const seen = new Set<string>();
  for (const c of allChecks) {
    assert.ok(!seen.has(c.id), `duplicate check id ${c.id}`);
    seen.add(c.id);
  }

  // Group the checks by fault; unknown faults are problems at once.
  const byFault = new Map<string, Check[]>();
  for (const c of checks) {
    const parsed = server.engine.faults.parse([c.fault]);
    if (!parsed.ok) {
      rows.get(c.id)!.problems.push(`its fault ${JSON.stringify(c.fault)} is unknown to the mock: ${firstLine(parsed.message, 120)}`);
      continue;
    }
    byFault.set(c.fault, [...(byFault.get(c.fault) ?? []), c]);
  }

  // 1 + 2 + 3 as one task list: baseline runs, then per fault the targets and the collateral MUST checks.
  type Task = () => Promise<void>;
  const tasks: Task[] = [];
  for (const c of checks) {
    tasks.push(async () => {
      rows.get(c.id)!.baseline = await runCheck(c, base, MODEL);
    });
  }
  for (const [spec, targets] of byFault) {
    const config: RunConfig = { ...base, extraHeaders: { 'x-mock-fault': spec } };
    const allowed = alsoBreaks.get(faultId(spec)) ?? new Set<string>();
    const capabilities = new Set(targets.map((c) => c.capability));
    const sameFault = new Set(allChecks.filter((c) => c.fault === spec).map((c) => c.id));
    for (const c of targets) {
      tasks.push(async () => {
        rows.get(c.id)!.faulted = await runCheck(c, config, MODEL);
      });
    }
    const collateral = allChecks.filter(
      (c) => c.level === 'MUST' && (c.capability === 'core' || capabilities.has(c.capability)) && !sameFault.has(c.id) && !allowed.has(c.id),
    );
    for (const other of collateral) {
      tasks.push(async () => {
        const r = await runCheck(other, config, MODEL);
        if (r.verdict === 'FAIL') {
          for (const c of targets) rows.get(c.id)!.collateral.push({ id: other.id, message: firstLine(r.message, 140) });
        }
      });
    }
  }
  await pool(tasks, POOL);

  // Judge and print.
  for (const row of rows.values()) {
    const { check, baseline, faulted } = row;
    if (baseline) {
      const ok = check.level === 'MAY' ? baseline.verdict === 'INFO' || baseline.verdict === 'PASS' : baseline.verdict === 'PASS';
      if (!ok) row.problems.push(`unfaulted: ${baseline.verdict} (${firstLine(baseline.message)})`);
    }
    if (faulted && !provenBy(check, faulted.verdict)) {
      const want = check.level === 'MUST' ? 'FAIL' : 'WARN';
      row.problems.push(`under ${check.fault}: ${faulted.verdict}, not ${want} (${firstLine(faulted.message)})`);
    }
    for (const c of row.collateral) row.problems.push(`under ${check.fault}, the MUST check ${c.id} also FAILs: ${c.message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  printTable([...rows.values()], byFault.size, seconds);

  for (const row of rows.values()) {
    await t.test(`${row.check.id} (${row.check.level}) ← ${row.check.fault}`, () => {
      assert.deepEqual(row.problems, [], row.problems.join('\n'));
    });
  }
});

test('every contract fault is named by a check, and its alsoBreaks names other existing checks', () => {
  const problems: string[] = [];
  for (const f of contractFaults) {
    const own = allChecks.filter((c) => c.fault.split(':')[0] === f.id).map((c) => c.id);
    if (own.length === 0) problems.push(`${f.id} is named by no check (the check that it proves names it in \`fault\`)`);
    for (const id of f.alsoBreaks ?? []) {
      if (!allChecks.some((c) => c.id === id)) problems.push(`${f.id} also breaks ${id}, which is not a check`);
      if (own.includes(id)) problems.push(`${f.id} also breaks ${id}, which names it already`);
    }
  }
  assert.deepEqual(problems, []);
});

function printTable(rows: Row[], faults: number, seconds: number): void {
  const w = Math.max(...rows.map((r) => r.check.id.length));
  const f = Math.min(40, Math.max(...rows.map((r) => r.check.fault.length)));
  const lines = [
    `fault matrix: ${rows.length} checks, ${faults} faults, ${seconds.toFixed(1)} s (pool ${POOL})`,
    `${'check'.padEnd(w)}  level   unfaulted  ${'fault'.padEnd(f)}  faulted   collateral`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.check.id.padEnd(w)}  ${r.check.level.padEnd(6)}  ${(r.baseline?.verdict ?? '-').padEnd(9)}  ${r.check.fault.slice(0, f).padEnd(f)}  ${(r.faulted?.verdict ?? '-').padEnd(8)}  ${r.collateral.length === 0 ? '-' : r.collateral.map((c) => c.id).join(',')}${r.problems.length > 0 ? '  ✗' : ''}`,
    );
  }
  const bad = rows.filter((r) => r.problems.length > 0).length;
  lines.push(`${rows.length - bad}/${rows.length} proven`);
  console.log(lines.join('\n'));
}
