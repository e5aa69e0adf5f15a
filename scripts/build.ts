// npm run build (and prepack): the package's JavaScript in dist/, so that `npx oai-compat` runs
// without a TypeScript loader. tsc compiles the runtime code (tsconfig.build.json: .ts imports become
// .js); the files the code reads next to itself are copied to the same places under dist/.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const copy = (from: string, filter: (name: string) => boolean = () => true) => {
  const source = path.join(root, from);
  const target = path.join(dist, from);
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(source)) if (filter(name)) cpSync(path.join(source, name), path.join(target, name), { recursive: true });
};
copy('schemas', (n) => n.endsWith('.schema.json'));
copy('openapi', (n) => n === 'openapi.yaml');
copy('fixtures');
copy('suites/profiles', (n) => n.endsWith('.yaml'));
chmodSync(path.join(dist, 'cli', 'main.js'), 0o755);
console.log(`built ${path.relative(process.cwd(), dist) || dist}`);
