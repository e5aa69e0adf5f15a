import { seedChecks } from './checks/seed.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(seedChecks);
