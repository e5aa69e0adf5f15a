// Builds the browser mock: one ES module bundle of mock-server/browser.ts (the real engine and msw
// handlers) made with esbuild (tsx's own dependency), plus msw's mockServiceWorker.js beside it.
// The bundle reads no files: the schemas are JSON modules that lib/schemas.ts imports (esbuild
// inlines them), and the fixtures, read and validated here, take the place of
// mock-server/bundled-fixtures.ts as data. Of Node only Buffer is left (the engine keeps it on its
// hot path), served by mock-server/browser-shims.ts.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { Fixture } from '../lib/fixture-format.ts';
import { FIXTURES_DIR, loadFixtures } from '../lib/fixtures.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHIMS = path.join(HERE, 'browser-shims.ts');
const BUNDLED_FIXTURES = path.join(HERE, 'bundled-fixtures.ts');
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

function bundlePlugin(fixtures: Fixture[]): Plugin {
  return {
    name: 'oai-compat-browser',
    setup(b) {
      b.onResolve({ filter: /^node:buffer$/ }, () => ({ path: SHIMS }));
      b.onResolve({ filter: /^oai-compat:globals$/ }, () => ({ path: GLOBALS, namespace: 'oai-compat' }));
      b.onLoad({ filter: /.*/, namespace: 'oai-compat' }, () => ({ contents: `export { Buffer } from ${JSON.stringify(SHIMS)};`, loader: 'ts', resolveDir: HERE }));
      b.onLoad({ filter: /[\\/]bundled-fixtures\.ts$/ }, (args) =>
        args.path === BUNDLED_FIXTURES ? { contents: `export const bundledFixtures = ${JSON.stringify(fixtures)};`, loader: 'js' } : undefined,
      );
    },
  };
}

/** Write the bundle and msw's worker into `outdir`. */
export async function buildBrowserMock(outdir: string, options: { minify?: boolean; fixturesDir?: string } = {}): Promise<BrowserMockBuild> {
  const fixtures = loadFixtures(options.fixturesDir ?? FIXTURES_DIR); // a broken fixture fails the build here
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
    plugins: [bundlePlugin(fixtures)],
    inject: [GLOBALS],
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
