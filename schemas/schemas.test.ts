// Every schema against its examples: each valid one passes, each invalid one fails with the expected
// first issue (path and keyword, and message where given). Examples: schemas/examples/NAME.examples.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatIssues, validate } from '../lib/validate.ts';
import { SCHEMA_NAMES, schemaDir, schemaIds } from '../lib/schemas.ts';
import { examplesBySchema } from './examples/index.ts';

test('schemas/ holds exactly the 14 contract schemas, each with its $id and 2020-12 $schema', () => {
  // profile.schema.json configures the suite and fixture.schema.json the mock's scenarios: they are not
  // the contract (lib/config.test.ts and lib/fixtures.test.ts test them).
  const files = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json') && f !== 'profile.schema.json' && f !== 'fixture.schema.json').sort();
  assert.deepEqual(files, SCHEMA_NAMES.map((n) => `${n}.schema.json`).sort());
  for (const name of SCHEMA_NAMES) {
    const schema = JSON.parse(readFileSync(path.join(schemaDir, `${name}.schema.json`), 'utf8'));
    assert.equal(schema.$id, schemaIds[name]);
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(typeof schema.title, 'string', `${name}: title`);
    assert.equal(typeof schema.description, 'string', `${name}: description`);
  }
});

test('no schema forbids extra properties (providers add fields)', () => {
  const offenders: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'additionalProperties' || k === 'unevaluatedProperties') && v === false) offenders.push(`${where}/${k}`);
      if (k !== 'const' && k !== 'enum') walk(v, `${where}/${k}`);
    }
  };
  for (const name of SCHEMA_NAMES) walk(JSON.parse(readFileSync(path.join(schemaDir, `${name}.schema.json`), 'utf8')), name);
  assert.deepEqual(offenders, []);
});

for (const name of SCHEMA_NAMES) {
  const { valid, invalid } = examplesBySchema[name];

  test(`${name}: at least 5 valid and 5 invalid examples`, () => {
    assert.ok(valid.length >= 5, `${valid.length} valid`);
    assert.ok(invalid.length >= 5, `${invalid.length} invalid`);
  });

  for (const { name: label, data } of valid) {
    test(`${name}: valid: ${label}`, () => {
      const r = validate(name, data);
      assert.ok(r.ok, r.ok ? '' : `unexpectedly invalid:\n${formatIssues(r.errors)}`);
    });
  }

  for (const ex of invalid) {
    test(`${name}: invalid: ${ex.why}`, () => {
      const r = validate(name, ex.data);
      assert.equal(r.ok, false, 'unexpectedly valid');
      if (r.ok) return;
      const first = r.errors[0];
      const shown = formatIssues(r.errors);
      assert.equal(first.path, ex.path, `first issue path; all issues:\n${shown}`);
      assert.equal(first.keyword, ex.keyword, `first issue keyword; all issues:\n${shown}`);
      if (ex.message !== undefined) assert.ok(first.message.includes(ex.message), `message "${first.message}" should contain "${ex.message}"`);
    });
  }
}
