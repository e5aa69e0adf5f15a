// The fixtures the browser bundle carries, as data. In the sources this list is empty: browser-build.ts
// puts the fixtures it read and validated from fixtures/ in this module's place when it bundles, so
// that the bundle reads no files.
import type { Fixture } from '../lib/fixture-format.ts';

export const bundledFixtures: Fixture[] = [];
