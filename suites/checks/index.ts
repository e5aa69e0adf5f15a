// Every check of the suite, in report order.
import { authChecks } from './auth.ts';
import { coreChecks } from './core.ts';
import { equivalenceChecks } from './equivalence.ts';
import { errorChecks } from './errors.ts';
import { logprobsChecks } from './logprobs.ts';
import { modelChecks } from './models.ts';
import { nChecks } from './n.ts';
import { parallelToolChecks } from './parallel-tools.ts';
import { reasoningChecks } from './reasoning.ts';
import { seedChecks } from './seed.ts';
import { streamUsageChecks } from './stream-usage.ts';
import { streamingChecks } from './streaming.ts';
import { structuredOutputChecks } from './structured-output.ts';
import { toolChecks } from './tools.ts';
import type { Check } from './types.ts';
import { visionChecks } from './vision.ts';

export const allChecks: Check[] = [
  ...coreChecks,
  ...streamingChecks,
  ...streamUsageChecks,
  ...reasoningChecks,
  ...toolChecks,
  ...parallelToolChecks,
  ...visionChecks,
  ...structuredOutputChecks,
  ...logprobsChecks,
  ...nChecks,
  ...seedChecks,
  ...equivalenceChecks,
  ...errorChecks,
  ...modelChecks,
  ...authChecks,
];
