import type { Check } from './types.ts';

export const equivalenceChecks: Check[] = [];
