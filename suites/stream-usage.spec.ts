import { streamUsageChecks } from './checks/stream-usage.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(streamUsageChecks);
