// Where a run may write: a new, empty or earlier report folder; never a folder of the user's.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { ConfigError } from '../lib/config.ts';
import { sampleReport } from '../test-support/sample-report.ts';
import { checkReportDir, claimReportDir, REPORT_MARKER } from './report-dir.ts';
import { writeAll } from './write.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-report-dir-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const dir = (name: string) => path.join(tmp, name);

test('a new, empty, marked or earlier report folder is accepted', () => {
  assert.doesNotThrow(() => checkReportDir(dir('does-not-exist')));
  mkdirSync(dir('empty'));
  assert.doesNotThrow(() => checkReportDir(dir('empty')));
  mkdirSync(dir('marked'));
  writeFileSync(path.join(dir('marked'), REPORT_MARKER), '');
  writeFileSync(path.join(dir('marked'), 'notes.txt'), 'mine');
  assert.doesNotThrow(() => checkReportDir(dir('marked')), 'a report folder may hold other files too: they are left alone');
  writeAll(sampleReport(), dir('earlier'));
  mkdirSync(path.join(dir('earlier'), 'html'));
  assert.doesNotThrow(() => checkReportDir(dir('earlier')), 'a report written before the marker existed');
  assert.doesNotThrow(() => checkReportDir(path.join(REPO, 'reports')), "the repository's reports/ carries the marker");
});

test("a folder of the user's, a file, or the repository root is refused, naming what is there", () => {
  mkdirSync(dir('users'));
  writeFileSync(path.join(dir('users'), 'q3.pdf'), '');
  assert.throws(() => checkReportDir(dir('users')), (e: unknown) => e instanceof ConfigError && /not empty and is not an oai-compat report folder \(it holds q3\.pdf\)/.test(e.message) && /--report-dir/.test(e.message));
  mkdirSync(dir('looks-like'));
  writeFileSync(path.join(dir('looks-like'), 'compliance.json'), '{"format":"something-else"}');
  assert.throws(() => checkReportDir(dir('looks-like')), ConfigError, "a compliance.json that is not ours does not make a report folder");
  writeFileSync(dir('a-file'), '');
  assert.throws(() => checkReportDir(dir('a-file')), /is a file, not a folder/);
  assert.throws(() => checkReportDir(REPO), /not empty and is not an oai-compat report folder/, 'REPORT_DIR=. in the repository');
});

test('claiming a folder creates it and writes the marker, leaving everything else alone', () => {
  mkdirSync(dir('claimed'));
  claimReportDir(dir('claimed'));
  claimReportDir(path.join(dir('claimed'), 'nested', 'deeper'));
  assert.match(readFileSync(path.join(dir('claimed'), REPORT_MARKER), 'utf8'), /oai-compat reports/);
  assert.ok(readFileSync(path.join(dir('claimed'), 'nested', 'deeper', REPORT_MARKER), 'utf8'));
  writeFileSync(path.join(dir('marked'), REPORT_MARKER), 'kept');
  claimReportDir(dir('marked'));
  assert.equal(readFileSync(path.join(dir('marked'), REPORT_MARKER), 'utf8'), 'kept');
  assert.equal(readFileSync(path.join(dir('marked'), 'notes.txt'), 'utf8'), 'mine');
});
