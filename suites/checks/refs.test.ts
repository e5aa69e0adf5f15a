// Every check says where its requirement comes from, and a ref into the project's contract points at
// something that is there.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { allChecks } from './index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = [/^https:\/\/platform\.openai\.com\/docs\/api-reference\/\S+$/, /^https:\/\/html\.spec\.whatwg\.org\/multipage\/\S+#\S+$/, /^(schemas|openapi)\/[\w.-]+(#\/\S*)?$/];

/** The node a JSON pointer (RFC 6901) names in a document, or undefined. */
function resolve(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

test('every check has a ref: an OpenAI API reference section, a contract pointer or the SSE specification', () => {
  const bad = allChecks.filter((c) => typeof c.ref !== 'string' || !SOURCES.some((s) => s.test(c.ref))).map((c) => `${c.id}: ${JSON.stringify(c.ref)}`);
  assert.deepEqual(bad, []);
});

test('every contract ref resolves in schemas/ or openapi/', () => {
  const missing: string[] = [];
  for (const c of allChecks.filter((x) => /^(schemas|openapi)\//.test(x.ref))) {
    const [file, pointer = ''] = c.ref.split('#');
    const full = path.join(ROOT, file);
    if (!existsSync(full)) {
      missing.push(`${c.id}: ${file} does not exist`);
      continue;
    }
    const text = readFileSync(full, 'utf8');
    const document = file.endsWith('.json') ? JSON.parse(text) : parse(text);
    if (resolve(document, pointer) === undefined) missing.push(`${c.id}: ${c.ref} points at nothing`);
  }
  assert.deepEqual(missing, []);
});
