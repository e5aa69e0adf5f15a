import type { Check } from './types.ts';

export const reasoningChecks: Check[] = [];
