import { equivalenceChecks } from './checks/equivalence.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(equivalenceChecks);
