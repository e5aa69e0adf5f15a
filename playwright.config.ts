// The suite's Playwright config. The same file runs from the sources in a clone (TypeScript) and from
// the built package (dist/, JavaScript): file names take this file's own extension.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { reportDirFromEnv, workersFromEnv } from './lib/config.ts';

const ext = path.extname(fileURLToPath(import.meta.url));
const reportDir = reportDirFromEnv();

export default defineConfig({
  testDir: 'suites',
  testMatch: `*.spec${ext}`,
  globalSetup: `./suites/global-setup${ext}`,
  fullyParallel: false,
  workers: workersFromEnv(),
  retries: 0,
  // Per-check timeouts come from the profile (suites/runner/playwright.ts); this is the outer bound.
  timeout: 120_000,
  // `oai-compat test` points this at a temporary folder: Playwright empties it at the start of a run.
  outputDir: process.env.OAI_COMPAT_OUTPUT_DIR || 'test-results',
  // Our reporter first: it turns FAIL verdicts into failed tests before Playwright's reporters see them.
  reporter: [
    [`./reports/reporter${ext}`, { outputDir: reportDir }],
    ['html', { outputFolder: path.join(reportDir, 'html'), open: 'never' }],
  ],
});
