import { visionChecks } from './checks/vision.ts';
import { defineChecks } from './runner/playwright.ts';

defineChecks(visionChecks);
