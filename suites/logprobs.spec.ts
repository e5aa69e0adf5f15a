import { test } from '@playwright/test';
import { logprobsChecks } from './checks/logprobs.ts';
import { checkTest } from './runner/playwright.ts';

for (const check of logprobsChecks) test(...checkTest(check));
