import { test } from '@playwright/test';
import { modelChecks } from './checks/models.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of modelChecks) test(...checkTest(check));
