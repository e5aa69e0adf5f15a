// The package's root folder and version, found the same way from the sources (a clone) and from the
// built JavaScript (dist/ in an installed package): the nearest package.json named oai-compat above.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): { root: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'oai-compat') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`oai-compat: no package.json of oai-compat above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const found = findRoot();

/** The folder holding oai-compat's package.json. */
export const PACKAGE_ROOT = found.root;
export const PACKAGE_VERSION = found.version;
