import type { Check } from './types.ts';

export const modelChecks: Check[] = [];
