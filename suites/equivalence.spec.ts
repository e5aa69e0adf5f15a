import { test } from '@playwright/test';
import { equivalenceChecks } from './checks/equivalence.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of equivalenceChecks) test(...checkTest(check));
