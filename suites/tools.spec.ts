import { test } from '@playwright/test';
import { toolChecks } from './checks/tools.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of toolChecks) test(...checkTest(check));
