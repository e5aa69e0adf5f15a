import { streamingChecks } from './checks/streaming.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(streamingChecks);
