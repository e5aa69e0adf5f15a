// seed: a fingerprint identifies the backend configuration; the same seed twice on the same
// fingerprint should give the same output (best effort, so a MAY figure).
import { gate, messageOf, show } from './feature-helpers.ts';
import type { Check, Exchange, RequestSpec } from './types.ts';
import { chat } from './validators.ts';

const SEEDED: RequestSpec = { body: chat('Write one sentence about the sea.', { seed: 42, temperature: 0, max_tokens: 32 }) };
const SAMPLES = 3;

function fingerprint(x: Exchange): unknown {
  return (x.json as any)?.system_fingerprint;
}

export const seedChecks: Check[] = [
  {
    id: 'seed.fingerprint-present',
    level: 'SHOULD',
    capability: 'seed',
    title: 'A seeded answer carries system_fingerprint',
    requirement: 'An answer to a request with a seed "should carry system_fingerprint", which tells whether two answers came from the same configuration.',
    fault: 'seed.no-fingerprint',
    async run(ctx, out) {
      const x = await ctx.send(SEEDED);
      const refused = gate(x, ctx, 'seed');
      if (refused) return refused;
      const fp = fingerprint(x);
      out.notes.system_fingerprint = fp;
      if (typeof fp !== 'string' || fp === '') return `system_fingerprint is ${show(fp)}, not a non-empty string`;
    },
  },
  {
    id: 'seed.fingerprint-stable',
    level: 'SHOULD',
    capability: 'seed',
    title: 'The same seeded request twice gives the same system_fingerprint',
    requirement: 'Two answers to the same seeded request, moments apart, "should carry the same system_fingerprint".',
    fault: 'seed.fingerprint-random',
    async run(ctx, out) {
      const a = await ctx.send(SEEDED);
      const refused = gate(a, ctx, 'seed');
      if (refused) return refused;
      const b = await ctx.send(SEEDED, { fresh: true });
      const refusedB = gate(b, ctx, 'seed');
      if (refusedB) return typeof refusedB === 'string' ? `the second identical request failed: ${refusedB}` : refusedB;
      const fa = fingerprint(a);
      const fb = fingerprint(b);
      out.notes.fingerprints = [fa, fb];
      if (typeof fa !== 'string' || fa === '' || typeof fb !== 'string' || fb === '') {
        return { skip: `prerequisite failed: system_fingerprint is ${show(fa)} and ${show(fb)} (see seed.fingerprint-present)` };
      }
      if (fa !== fb) return `the same seeded request gave system_fingerprint ${show(fa)}, then ${show(fb)}`;
    },
  },
  {
    id: 'seed.same-output',
    level: 'MAY',
    capability: 'seed',
    title: 'The same seed gives the same output (rate)',
    requirement: `The same seeded request at temperature 0, sent ${SAMPLES} times, "may give the same content every time" (best effort; the rate is reported).`,
    fault: 'seed.ignored',
    dependsOnModel: true,
    async run(ctx, out) {
      const contents: unknown[] = [];
      const fingerprints: unknown[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const x = await ctx.send(SEEDED, { fresh: true });
        const refused = gate(x, ctx, 'seed');
        if (refused) return refused;
        contents.push(messageOf(x)?.content);
        fingerprints.push(fingerprint(x));
      }
      const same = contents.filter((c) => c === contents[0]).length;
      out.metrics.equalOutputRate = same / SAMPLES;
      out.metrics.samples = SAMPLES;
      out.notes.contents = contents;
      if (same !== SAMPLES) {
        const fpNote = new Set(fingerprints).size > 1 ? ` (system_fingerprint changed: ${show(fingerprints)})` : '';
        return `${SAMPLES - same} of ${SAMPLES} answers to the same seeded request differ from the first${fpNote}: ${show(contents, 240)}`;
      }
    },
  },
];
