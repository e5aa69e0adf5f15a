// Config for `npx playwright merge-reports --config reports/merge.config.ts <blob dir>`: after a sharded
// run (each shard with --reporter=blob), this rebuilds every report from the blobs into REPORT_DIR:
// compliance.json/.html, junit.xml, badge.svg (our reporter) and Playwright's HTML report in html/.
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const reportDir = path.resolve(process.env.REPORT_DIR || 'reports');

export default defineConfig({
  testDir: '../suites',
  reporter: [
    ['./reporter.ts', { outputDir: reportDir }],
    ['html', { outputFolder: path.join(reportDir, 'html'), open: 'never' }],
  ],
});
