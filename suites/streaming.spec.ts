import { test } from '@playwright/test';
import { streamingChecks } from './checks/streaming.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of streamingChecks) test(...checkTest(check));
