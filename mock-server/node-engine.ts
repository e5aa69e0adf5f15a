// The engine with its scenarios read from disk, for the Node edges (startMockServer, setupMockServer,
// createHandlers, the CLI through startMockServer). The engine itself takes its fixtures as data, so
// that the browser bundle (browser.ts) hands it the fixtures it carries instead.
import type { Fixture } from '../lib/fixture-format.ts';
import { loadFixtures } from '../lib/fixtures.ts';
import { createEngine, type Engine, type EngineOptions } from './engine.ts';

export interface NodeEngineOptions extends Omit<EngineOptions, 'fixtures'> {
  /** the scenarios; default: every fixture under `fixturesDir` */
  fixtures?: Fixture[];
  /** where the fixtures are read from when not given (default <repo>/fixtures) */
  fixturesDir?: string;
}

export function createNodeEngine(options: NodeEngineOptions = {}): Engine {
  const { fixtures, fixturesDir, ...rest } = options;
  return createEngine({ ...rest, fixtures: fixtures ?? loadFixtures(fixturesDir) });
}
