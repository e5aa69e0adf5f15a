import { defineConfig } from '@playwright/test';

const reportDir = process.env.REPORT_DIR || 'reports';

export default defineConfig({
  testDir: 'suites',
  testMatch: '*.spec.ts',
  globalSetup: './suites/global-setup.ts',
  fullyParallel: false,
  workers: Number(process.env.WORKERS ?? 2),
  retries: 0,
  // Per-check timeouts come from the profile (suites/runner/playwright.ts); this is the outer bound.
  timeout: 120_000,
  outputDir: 'test-results',
  reporter: [
    [process.env.CI ? 'dot' : 'list'],
    ['./reports/reporter.ts', { outputDir: reportDir }],
    ['html', { outputFolder: `${reportDir}/html`, open: 'never' }],
  ],
});
