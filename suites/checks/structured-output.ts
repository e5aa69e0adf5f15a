import type { Check } from './types.ts';

export const structuredOutputChecks: Check[] = [];
