import type { Check } from './types.ts';

export const logprobsChecks: Check[] = [];
