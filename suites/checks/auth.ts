import type { Check } from './types.ts';

export const authChecks: Check[] = [];
