// With BASE_URL unset, the suite targets the embedded mock server, started here on a free port.
// Workers inherit the environment set here.
import { randomBytes } from 'node:crypto';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.BASE_URL) return undefined;
  const { startMockServer } = await import('../mock-server/standalone.ts');
  const apiKey = process.env.API_KEY || `sk-oai-compat-mock-${randomBytes(12).toString('hex')}`;
  const server = await startMockServer({
    host: '127.0.0.1',
    port: 0,
    speed: Number(process.env.MOCK_SPEED ?? 1),
    faults: process.env.MOCK_FAULT ? process.env.MOCK_FAULT.split(',') : [],
    requireKey: apiKey,
    quiet: true,
  });
  process.env.BASE_URL = `${server.url}/v1`;
  process.env.API_KEY = apiKey;
  process.env.OAI_COMPAT_MOCK = '1';
  return () => server.close();
}
