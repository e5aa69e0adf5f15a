import { test } from '@playwright/test';
import { errorChecks } from './checks/errors.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of errorChecks) test(...checkTest(check));
