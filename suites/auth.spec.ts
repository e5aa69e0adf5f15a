import { authChecks } from './checks/auth.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(authChecks);
