import { logprobsChecks } from './checks/logprobs.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(logprobsChecks);
