import { test } from '@playwright/test';
import { structuredOutputChecks } from './checks/structured-output.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of structuredOutputChecks) test(...checkTest(check));
