import { test } from '@playwright/test';
import { seedChecks } from './checks/seed.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of seedChecks) test(...checkTest(check));
