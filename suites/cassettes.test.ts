// Real servers' answers, judged again on every run. Each folder under fixtures/recorded/ that holds a
// cassette.jsonl and a verdicts.yaml is replayed by a cassette server (mock-server/cassette.ts); for
// each run the verdicts file names (a profile, a model, the capabilities run), every check runs against
// it through the exact code the suite runs, and its verdict is compared with the hand-judged one.
// A changed verdict fails with the difference. UPDATE_VERDICTS=1 writes verdicts.draft.yaml beside the
// file (the judged reasons kept, new ones marked "TODO"), for a person to judge and rename.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { defaultProfile, loadProfile, type RunConfig } from '../lib/config.ts';
import { startCassetteServer } from '../mock-server/cassette.ts';
import type { CheckResult } from '../lib/results.ts';
import { allChecks } from './checks/index.ts';
import { runCheck } from './runner/run-check.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RECORDED = path.join(ROOT, 'fixtures', 'recorded');
/** Recorded delays are kept (streams stay incremental) but capped, so a replay takes seconds. */
const MAX_DELAY_MS = 20;
const POOL = 8;

interface Judged {
  verdict: string;
  /** a true deviation of the server (not a limit of the tiny model, not a false alarm) */
  deviation?: boolean;
  reason?: string;
}

interface RunSpec {
  profile?: string;
  model: string;
  /** only checks of these capabilities (default: all) */
  capabilities?: string[];
  verdicts: Record<string, string | Judged>;
}

interface VerdictsFile {
  server: string;
  runs: Record<string, RunSpec>;
}

function judged(entry: string | Judged): Judged {
  return typeof entry === 'string' ? { verdict: entry } : entry;
}

async function pool<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

const folders = existsSync(RECORDED)
  ? readdirSync(RECORDED).filter((d) => existsSync(path.join(RECORDED, d, 'cassette.jsonl')) && existsSync(path.join(RECORDED, d, 'verdicts.yaml')))
  : [];

test('there is at least one recorded real-server run to judge', () => {
  assert.ok(folders.length > 0, `no fixtures/recorded/*/ with cassette.jsonl and verdicts.yaml`);
});

for (const folder of folders) {
  const dir = path.join(RECORDED, folder);
  const file = parse(readFileSync(path.join(dir, 'verdicts.yaml'), 'utf8')) as VerdictsFile;
  for (const [run, spec] of Object.entries(file.runs)) {
    test(`${folder} (${run}): every verdict as judged`, { timeout: 180_000 }, async () => {
      const server = await startCassetteServer({ file: path.join(dir, 'cassette.jsonl'), speed: 1, maxDelayMs: MAX_DELAY_MS });
      try {
        const profile = spec.profile ? loadProfile(path.join(ROOT, spec.profile)) : defaultProfile();
        const config: RunConfig = {
          baseUrl: `${server.url}/v1`,
          model: spec.model,
          profile,
          profilePath: spec.profile,
          repeat: 1,
          reportDir: 'reports',
          mock: false,
          extraHeaders: {},
        };
        const checks = allChecks.filter((c) => !spec.capabilities || spec.capabilities.includes(c.capability));
        const results = await pool(
          checks.map((c) => () => runCheck(c, config, spec.model)),
          POOL,
        );
        const diffs: string[] = [];
        const draft: Record<string, string | Judged> = {};
        for (const r of results) {
          const want = spec.verdicts[r.id] ? judged(spec.verdicts[r.id]) : undefined;
          if (!want) diffs.push(`${r.id}: not judged yet, got ${r.verdict}: ${oneLine(r)}`);
          else if (want.verdict !== r.verdict) diffs.push(`${r.id}: judged ${want.verdict}${want.reason ? ` (${want.reason})` : ''}, got ${r.verdict}: ${oneLine(r)}`);
          draft[r.id] = draftEntry(r, want);
        }
        for (const id of Object.keys(spec.verdicts)) if (!results.some((r) => r.id === id)) diffs.push(`${id}: judged, but no such check ran`);
        const unjudged = Object.entries(spec.verdicts).filter(([, e]) => {
          const j = judged(e);
          return !['PASS', 'INFO'].includes(j.verdict) && (!j.reason || j.reason.startsWith('TODO') || j.deviation === undefined);
        });
        for (const [id] of unjudged) diffs.push(`${id}: a ${judged(spec.verdicts[id]).verdict} needs a reason and deviation: true|false`);
        if (process.env.UPDATE_VERDICTS) writeDraft(dir, run, draft);
        assert.deepEqual(server.misses, [], 'requests the cassette does not hold (record it again)');
        assert.deepEqual(diffs, [], `verdicts differ from ${path.relative(ROOT, path.join(dir, 'verdicts.yaml'))} (run ${run})`);
      } finally {
        await server.close();
      }
    });
  }
}

function oneLine(r: CheckResult): string {
  return r.message.split('\n')[0].slice(0, 200);
}

function draftEntry(r: CheckResult, want: Judged | undefined): string | Judged {
  if (r.verdict === 'PASS' || r.verdict === 'INFO') return r.verdict;
  if (want && want.verdict === r.verdict && want.reason) return want;
  return { verdict: r.verdict, deviation: want?.deviation ?? false, reason: `TODO judge: ${oneLine(r)}` };
}

function writeDraft(dir: string, run: string, verdicts: Record<string, string | Judged>): void {
  const draftFile = path.join(dir, 'verdicts.draft.yaml');
  const base = (existsSync(draftFile) ? parse(readFileSync(draftFile, 'utf8')) : parse(readFileSync(path.join(dir, 'verdicts.yaml'), 'utf8'))) as VerdictsFile;
  base.runs[run].verdicts = verdicts;
  writeFileSync(draftFile, stringify(base, { lineWidth: 0 }));
}
