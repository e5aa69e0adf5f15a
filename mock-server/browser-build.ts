// Builds the browser mock: one ES module bundle of mock-server/browser.ts (the real engine and msw
// handlers) made with esbuild (tsx's own dependency), plus msw's mockServiceWorker.js beside it.
// Node APIs are served by mock-server/browser-shims.ts; the schemas and fixtures are inlined as files
// under /oai-compat, which lib/validate.ts and lib/fixtures.ts read through the shimmed node:fs.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { FIXTURES_DIR, loadFixtures } from '../lib/fixtures.ts';
import { schemaDir } from '../lib/validate.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHIMS = path.join(HERE, 'browser-shims.ts');
/** where the inlined files live in the bundle: /oai-compat/{schemas,fixtures}/... */
const ROOT = '/oai-compat';
const SHIMMED = /^node:(fs|path|url|buffer)$|^msw\/node$/;
/** a virtual module giving the bundle its one global, Buffer */
const GLOBALS = 'oai-compat:globals';

export const BUNDLE_NAME = 'oai-compat-mock.js';
export const WORKER_NAME = 'mockServiceWorker.js';

export interface BrowserMockBuild {
  /** the ES module exporting startBrowserMock */
  bundle: string;
  /** msw's service worker script, to serve at the page's root (or pass serviceWorkerUrl) */
  worker: string;
}

function filesUnder(dir: string, ext: string, into: Record<string, string>, as: string): void {
  const names = readdirSync(dir).sort();
  if (names.includes('cassette.jsonl') || names.includes('verdicts.yaml')) return; // a recorded suite run (mock-server/cassette.ts), not fixtures
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) filesUnder(full, ext, into, `${as}/${name}`);
    else if (name.endsWith(ext)) into[`${as}/${name}`] = readFileSync(full, 'utf8');
  }
}

/** The schemas and fixtures, keyed by their path in the bundle. */
export function inlinedFiles(fixturesDir: string = FIXTURES_DIR): Record<string, string> {
  loadFixtures(fixturesDir); // a broken fixture fails the build here, with Node's error messages
  const files: Record<string, string> = {};
  filesUnder(schemaDir, '.schema.json', files, `${ROOT}/schemas`);
  filesUnder(fixturesDir, '.yaml', files, `${ROOT}/fixtures`);
  return files;
}

const shimPlugin: Plugin = {
  name: 'oai-compat-node-shims',
  setup(b) {
    b.onResolve({ filter: SHIMMED }, () => ({ path: SHIMS }));
    b.onResolve({ filter: /^oai-compat:globals$/ }, () => ({ path: GLOBALS, namespace: 'oai-compat' }));
    b.onLoad({ filter: /.*/, namespace: 'oai-compat' }, () => ({ contents: `export { Buffer } from ${JSON.stringify(SHIMS)};`, loader: 'ts', resolveDir: HERE }));
  },
};

/** Write the bundle and msw's worker into `outdir`. */
export async function buildBrowserMock(outdir: string, options: { minify?: boolean; fixturesDir?: string } = {}): Promise<BrowserMockBuild> {
  mkdirSync(outdir, { recursive: true });
  const bundle = path.join(outdir, BUNDLE_NAME);
  await build({
    entryPoints: [path.join(HERE, 'browser.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [shimPlugin],
    inject: [GLOBALS],
    define: {
      // lib/fixtures.ts and lib/validate.ts find <repo>/fixtures and <repo>/schemas from their own URL
      'import.meta.url': JSON.stringify(`file://${ROOT}/lib/module.js`),
      __OAI_COMPAT_FILES__: JSON.stringify(inlinedFiles(options.fixturesDir)),
    },
  });
  const worker = path.join(outdir, WORKER_NAME);
  copyFileSync(createRequire(import.meta.url).resolve('msw/mockServiceWorker.js'), worker);
  return { bundle, worker };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] ?? 'mock-browser');
  const out = await buildBrowserMock(outdir, { minify: true });
  console.log(`wrote ${path.relative(process.cwd(), out.bundle)} and ${path.relative(process.cwd(), out.worker)}`);
}
