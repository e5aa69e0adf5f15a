import { structuredOutputChecks } from './checks/structured-output.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(structuredOutputChecks);
