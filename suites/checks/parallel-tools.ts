import type { Check } from './types.ts';

export const parallelToolChecks: Check[] = [];
