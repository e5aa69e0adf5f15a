import { toolChecks } from './checks/tools.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(toolChecks);
