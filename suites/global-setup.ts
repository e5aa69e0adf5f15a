// The run's shared state, made before any worker starts (workers inherit the environment set here):
// the preflight (the user's input, REPORT_DIR, then the endpoint: reachable, key accepted, model
// served), the model resolved once for every worker (OAI_COMPAT_RESOLVED_MODEL), a directory where
// identical protocol requests are answered once for all workers (OAI_COMPAT_CACHE_DIR, removed at
// the end), and, with BASE_URL unset, the embedded mock server on a free port.
// A run that cannot judge the endpoint stops here with one message and exit code 2.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkRunInputs, ConfigError, loadConfig, reportDirFromEnv } from '../lib/config.ts';
import { redactText, registerSecret } from '../lib/redact.ts';
import { checkReportDir, claimReportDir } from '../reports/report-dir.ts';
import { preflight } from './runner/preflight.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'oai-compat-run-'));
  process.env.OAI_COMPAT_CACHE_DIR = cacheDir;
  let stopMock = async () => {};
  const teardown = async () => {
    await stopMock();
    rmSync(cacheDir, { recursive: true, force: true });
  };
  try {
    checkRunInputs(process.env);
    const reportDir = reportDirFromEnv(process.env);
    checkReportDir(process.env.REPORT_DIR || 'reports');
    if (!process.env.BASE_URL) stopMock = await startEmbeddedMock();
    const started = performance.now();
    const { model } = await preflight(loadConfig());
    process.env.OAI_COMPAT_RESOLVED_MODEL = model;
    process.env.OAI_COMPAT_PREFLIGHT_MS = String(Math.round(performance.now() - started));
    claimReportDir(reportDir);
  } catch (error) {
    await teardown();
    if (!(error instanceof ConfigError)) throw error;
    registerSecret(process.env.API_KEY || process.env.OPENAI_API_KEY);
    process.stderr.write(`oai-compat: ${redactText(error.message)}\n(exit code 2: the endpoint was not judged; no check ran and no report was written)\n`);
    process.exit(2);
  }
  return teardown;
}

/** The embedded mock, answering with a key of its own unless API_KEY is set; returns how to stop it. */
async function startEmbeddedMock(): Promise<() => Promise<void>> {
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
  return () => server.close();
}
