import type { Fault } from '../types.ts';

// core, streaming, stream-usage, errors, models, auth
export const coreContractFaults: Fault[] = [];
