import { test } from '@playwright/test';
import { streamUsageChecks } from './checks/stream-usage.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of streamUsageChecks) test(...checkTest(check));
