import type { Check } from './types.ts';

export const streamingChecks: Check[] = [];
