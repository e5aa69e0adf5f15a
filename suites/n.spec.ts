import { test } from '@playwright/test';
import { nChecks } from './checks/n.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of nChecks) test(...checkTest(check));
