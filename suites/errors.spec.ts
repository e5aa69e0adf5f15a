import { errorChecks } from './checks/errors.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(errorChecks);
