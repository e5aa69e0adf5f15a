// Config for `npx playwright merge-reports --config reports/merge.config.ts <blob dir>`: after a sharded
// run (each shard with --reporter=blob), this rebuilds every report from the blobs into REPORT_DIR:
// compliance.json/.html, junit.xml, badge.svg (our reporter) and Playwright's HTML report in html/.
// REPORT_DIR must be new, empty or an earlier report folder (reports/report-dir.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { reportDirFromEnv } from '../lib/config.ts';
import { checkReportDir, claimReportDir } from './report-dir.ts';

const ext = path.extname(fileURLToPath(import.meta.url));
const reportDir = reportDirFromEnv();
checkReportDir(reportDir);
claimReportDir(reportDir);

export default defineConfig({
  testDir: '../suites',
  reporter: [
    [`./reporter${ext}`, { outputDir: reportDir }],
    ['html', { outputFolder: path.join(reportDir, 'html'), open: 'never' }],
  ],
});
