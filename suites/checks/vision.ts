import type { Check } from './types.ts';

export const visionChecks: Check[] = [];
