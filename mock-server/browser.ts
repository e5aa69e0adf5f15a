// The mock in a browser: the real engine and the msw handlers (msw-handlers.ts) behind msw's service
// worker (setupWorker), so a page's own fetch to the mock origin is answered in the browser, no server.
// Load it as the bundle mock-server/browser-build.ts writes (the fixtures and schemas are in it as
// data), and serve msw's mockServiceWorker.js beside the page.
import { setupWorker, type SetupWorker } from 'msw/browser';
import type { Fixture } from '../lib/fixture-format.ts';
import { bundledFixtures } from './bundled-fixtures.ts';
import { createEngine, type Engine, type EngineOptions } from './engine.ts';
import { DEFAULT_ORIGIN, handlersFor } from './msw-handlers.ts';

export { DEFAULT_ORIGIN };

export interface BrowserMockOptions extends Omit<EngineOptions, 'fixtures'> {
  /** the scenarios (default: the fixtures the bundle carries) */
  fixtures?: Fixture[];
  /** the origin the mock answers for (default https://mock.oai-compat.local); '*' answers any origin */
  origin?: string;
  /** an engine to share; default: a new one from the options */
  engine?: Engine;
  /** where msw's mockServiceWorker.js is served (default /mockServiceWorker.js) */
  serviceWorkerUrl?: string;
}

export interface BrowserMock {
  worker: SetupWorker;
  engine: Engine;
  origin: string;
  /** origin + /v1: the base URL for OpenAI clients */
  baseUrl: string;
  /** stop intercepting */
  stop(): void;
}

/** Register msw's service worker with the mock's handlers; resolves once it intercepts. */
export async function startBrowserMock(options: BrowserMockOptions = {}): Promise<BrowserMock> {
  const engine = options.engine ?? createEngine({ ...options, fixtures: options.fixtures ?? bundledFixtures });
  const origin = (options.origin ?? DEFAULT_ORIGIN).replace(/\/+$/, '');
  const worker = setupWorker(...handlersFor(engine, { origin }));
  await worker.start({
    serviceWorker: { url: options.serviceWorkerUrl ?? '/mockServiceWorker.js' },
    onUnhandledFrame: 'bypass',
    quiet: true,
  });
  return { worker, engine, origin, baseUrl: `${origin}/v1`, stop: () => worker.stop() };
}
