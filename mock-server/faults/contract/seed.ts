// Faults for suites/checks/seed.ts: system_fingerprint missing or random, the seed without effect.
import type { Completion } from '../../types.ts';
import { hasSeed, onMessage, without, type ContractFault } from './helpers.ts';

let fingerprintCounter = 0;

/** A completion hook that edits the answers to seeded requests. */
function seeded(edit: (c: Completion) => Completion): ContractFault['completion'] {
  return (c, ctx) => (hasSeed(ctx.request) ? edit(c) : c);
}

export const seedFaults: ContractFault[] = [
  {
    id: 'seed.no-fingerprint',
    description: 'Answers to seeded requests carry no system_fingerprint (non-stream).',
    completion: seeded((c) => without(c, 'system_fingerprint')),
  },
  {
    id: 'seed.fingerprint-random',
    description: 'Every answer to a seeded request carries a different system_fingerprint (non-stream).',
    completion: seeded((c) => ({ ...c, system_fingerprint: `fp_${(++fingerprintCounter).toString(16).padStart(10, '0')}` })),
  },
  {
    id: 'seed.ignored',
    description: 'The seed has no effect: each answer to a seeded request differs (a varying word is appended) (non-stream).',
    completion: seeded((c) => onMessage(c, (m) => typeof m.content === 'string' && (m.content = `${m.content} (${Math.random().toString(36).slice(2, 8)})`))),
  },
];
