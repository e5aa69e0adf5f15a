import { test } from '@playwright/test';
import { authChecks } from './checks/auth.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of authChecks) test(...checkTest(check));
