import { test } from '@playwright/test';
import { coreChecks } from './checks/core.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of coreChecks) test(...checkTest(check));
