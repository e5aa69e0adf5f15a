// The run's shared state, made before any worker starts (workers inherit the environment set here):
// a directory where identical protocol requests are answered once for all workers
// (OAI_COMPAT_CACHE_DIR, removed at the end), and, with BASE_URL unset, the embedded mock server
// on a free port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'oai-compat-run-'));
  process.env.OAI_COMPAT_CACHE_DIR = cacheDir;
  const removeCache = () => rmSync(cacheDir, { recursive: true, force: true });
  if (process.env.BASE_URL) return async () => removeCache();
  const { startMockServer } = await import('../mock-server/standalone.ts');
  const apiKey = process.env.API_KEY || `sk-oai-compat-mock-${randomBytes(12).toString('hex')}`;
  const server = await startMockServer({
    host: '127.0.0.1',
    port: 0,
    speed: Number(process.env.MOCK_SPEED ?? 1),
    faults: process.env.MOCK_FAULT ? process.env.MOCK_FAULT.split(',') : [],
    requireKey: apiKey,
    models: [], // strict about model names, so that the unknown-model checks are proven
    quiet: true,
  });
  process.env.BASE_URL = `${server.url}/v1`;
  process.env.API_KEY = apiKey;
  process.env.OAI_COMPAT_MOCK = '1';
  return async () => {
    await server.close();
    removeCache();
  };
}
