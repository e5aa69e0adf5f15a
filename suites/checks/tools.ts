import type { Check } from './types.ts';

export const toolChecks: Check[] = [];
