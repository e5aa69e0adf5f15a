import { coreChecks } from './checks/core.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(coreChecks);
