// Faults that exist to prove conformance checks can fail, one or more per check.
import type { Fault } from '../types.ts';
import { coreContractFaults } from './contract-core.ts';
import { featureContractFaults } from './contract-features.ts';

export const contractFaults: Fault[] = [...coreContractFaults, ...featureContractFaults];
