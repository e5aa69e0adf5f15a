import type { Check } from './types.ts';

export const seedChecks: Check[] = [];
