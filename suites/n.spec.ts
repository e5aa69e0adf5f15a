import { nChecks } from './checks/n.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(nChecks);
