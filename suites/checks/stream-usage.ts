import type { Check } from './types.ts';

export const streamUsageChecks: Check[] = [];
