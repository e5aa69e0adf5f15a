// Faults that exist to prove conformance checks can fail: mock-server/faults/contract/<capability>.ts
// mirrors suites/checks/<capability>.ts. A check names its fault; the fault matrix
// (suites/fault-matrix.test.ts) derives which checks each fault proves from that.
import { authFaults } from './contract/auth.ts';
import { coreFaults } from './contract/core.ts';
import { equivalenceFaults } from './contract/equivalence.ts';
import { errorsFaults } from './contract/errors.ts';
import type { ContractFault } from './contract/helpers.ts';
import { logprobsFaults } from './contract/logprobs.ts';
import { modelsFaults } from './contract/models.ts';
import { nFaults } from './contract/n.ts';
import { parallelToolsFaults } from './contract/parallel-tools.ts';
import { reasoningFaults } from './contract/reasoning.ts';
import { seedFaults } from './contract/seed.ts';
import { streamUsageFaults } from './contract/stream-usage.ts';
import { streamingFaults } from './contract/streaming.ts';
import { structuredFaults } from './contract/structured-output.ts';
import { toolsFaults } from './contract/tools.ts';
import { visionFaults } from './contract/vision.ts';

export type { ContractFault };

export const contractFaults: ContractFault[] = [
  ...coreFaults,
  ...streamingFaults,
  ...streamUsageFaults,
  ...errorsFaults,
  ...modelsFaults,
  ...authFaults,
  ...reasoningFaults,
  ...toolsFaults,
  ...parallelToolsFaults,
  ...visionFaults,
  ...structuredFaults,
  ...logprobsFaults,
  ...nFaults,
  ...seedFaults,
  ...equivalenceFaults,
];
