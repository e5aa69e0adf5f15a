import type { Check } from './types.ts';

export const errorChecks: Check[] = [];
