import { test } from '@playwright/test';
import { parallelToolChecks } from './checks/parallel-tools.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of parallelToolChecks) test(...checkTest(check));
