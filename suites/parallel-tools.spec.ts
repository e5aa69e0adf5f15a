import { parallelToolChecks } from './checks/parallel-tools.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(parallelToolChecks);
