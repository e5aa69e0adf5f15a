import { test } from '@playwright/test';
import { reasoningChecks } from './checks/reasoning.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of reasoningChecks) test(...checkTest(check));
