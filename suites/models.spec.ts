import { modelChecks } from './checks/models.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(modelChecks);
