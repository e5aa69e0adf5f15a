import type { Fault } from '../types.ts';

// reasoning, tools, parallel-tools, vision, structured-output, logprobs, n, seed, equivalence
export const featureContractFaults: Fault[] = [];
