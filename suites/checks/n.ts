import type { Check } from './types.ts';

export const nChecks: Check[] = [];
