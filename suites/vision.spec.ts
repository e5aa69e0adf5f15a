import { test } from '@playwright/test';
import { visionChecks } from './checks/vision.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of visionChecks) test(...checkTest(check));
