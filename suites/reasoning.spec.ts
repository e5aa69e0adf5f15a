import { reasoningChecks } from './checks/reasoning.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(reasoningChecks);
