// The fixture loader (Node): reads fixtures/**/*.yaml and checks each file against the fixture format,
// schemas/fixture.schema.json (its TypeScript types in lib/fixture-format.ts), with the project's Ajv
// (lib/validate.ts), then what a schema cannot see: the id is the file name, ids are unique.
// Errors name the file and the field, e.g. `fixtures/core/a.yaml: response.writes[2]: needs one of data, base64`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Fixture } from './fixture-format.ts';
import { issueToParam, validateFixtureDocument } from './validate.ts';

export type { Fixture, FixtureWrite } from './fixture-format.ts';
export { fixtureBodyBytes, fixtureBytes, isStreamFixture } from './fixture-format.ts';

/** <repo>/fixtures */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export class FixtureError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'FixtureError';
  }
}

const cache = new Map<string, Fixture[]>();

/**
 * Every fixture under `dir` (recursively, `*.yaml`), validated, sorted by relative path.
 * Cached per directory; `clearFixtureCache()` forgets it (e.g. after the recorder wrote a file).
 */
export function loadFixtures(dir: string = FIXTURES_DIR): Fixture[] {
  const key = path.resolve(dir);
  const cached = cache.get(key);
  if (cached) return cached;
  const files = listYaml(key).sort();
  const fixtures: Fixture[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const fixture = loadFixtureFile(file);
    const other = seen.get(fixture.id);
    if (other) throw new FixtureError(display(file), 'id', `"${fixture.id}" is already the id of ${display(other)}`);
    seen.set(fixture.id, file);
    fixtures.push(fixture);
  }
  cache.set(key, fixtures);
  return fixtures;
}

export function clearFixtureCache(dir?: string): void {
  if (dir === undefined) cache.clear();
  else cache.delete(path.resolve(dir));
}

/** One fixture by id, or undefined. */
export function findFixture(id: string, dir: string = FIXTURES_DIR): Fixture | undefined {
  return loadFixtures(dir).find((f) => f.id === id);
}

/** Read, parse and validate one fixture file. `label` is the name used in errors (default: the path). */
export function loadFixtureFile(file: string, label: string = display(file)): Fixture {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FixtureError(label, '', `cannot be read (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new FixtureError(label, '', `is not valid YAML: ${(e as Error).message}`);
  }
  return validateFixture(value, label, path.basename(file).replace(/\.yaml$/, ''));
}

/**
 * Check a parsed value against the fixture format. `label` names the file in errors;
 * `expectedId` (the file name without .yaml), when given, must equal `id`.
 */
export function validateFixture(value: unknown, label: string, expectedId?: string): Fixture {
  const issues = validateFixtureDocument(value);
  if (issues.length > 0) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new FixtureError(label, issueToParam(first.path), `${first.message}${more}`);
  }
  const fixture = value as Fixture;
  if (expectedId !== undefined && fixture.id !== expectedId) throw new FixtureError(label, 'id', `"${fixture.id}" differs from the file name "${expectedId}"`);
  return fixture;
}

// ---------------------------------------------------------------------------------------------

function listYaml(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new FixtureError(display(dir), '', `the fixtures directory cannot be read (${(e as Error).message})`);
  }
  // a cassette's folder (a whole recorded suite run, mock-server/cassette.ts) holds no fixtures
  if (entries.includes('cassette.jsonl') || entries.includes('verdicts.yaml')) return [];
  const out: string[] = [];
  for (const name of entries) {
    if (name.startsWith('.')) continue; // hidden files, the recorder's temp files
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...listYaml(full));
    else if (name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
