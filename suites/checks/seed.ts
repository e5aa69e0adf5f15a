// seed: a fingerprint identifies the backend configuration; the same seed twice on the same
// fingerprint should give the same output (best effort, so a MAY figure).
import { messageOf } from './support/completion.ts';
import { prerequisite, sendAccepted } from './support/gates.ts';
import { param, schema as contract } from './support/refs.ts';
import { chat } from './support/requests.ts';
import { show } from './support/text.ts';
import { checksOf, type CheckContext, type Exchange, type Finding, type RequestSpec } from './types.ts';

const SEEDED: RequestSpec = { body: chat('Write one sentence about the sea.', { seed: 42, temperature: 0, max_tokens: 32 }) };
const SAMPLES = 3;
const FINGERPRINT = contract('chat-completion', '/properties/system_fingerprint');

function fingerprint(x: Exchange): unknown {
  return (x.json as any)?.system_fingerprint;
}

/** The seeded request, answered; `fresh` asks again rather than reading the run's cache. */
function seeded(ctx: CheckContext, fresh = false): Promise<{ x: Exchange } | { finding: Finding }> {
  return sendAccepted(ctx, SEEDED, 'seed', { fresh });
}

export const seedChecks = checksOf('seed', [
  { id: 'seed.fingerprint-present', level: 'SHOULD', fault: 'seed.no-fingerprint', ref: FINGERPRINT,
    title: 'A seeded answer carries system_fingerprint', requirement: 'An answer to a request with a seed "should carry system_fingerprint", which tells whether two answers came from the same configuration.',
    async run(ctx, out) {
      const got = await seeded(ctx);
      if ('finding' in got) return got.finding;
      const fp = fingerprint(got.x);
      out.notes.system_fingerprint = fp;
      if (typeof fp !== 'string' || fp === '') return `system_fingerprint is ${show(fp)}, not a non-empty string`;
    },
  },
  { id: 'seed.fingerprint-stable', level: 'SHOULD', fault: 'seed.fingerprint-random', ref: FINGERPRINT,
    title: 'The same seeded request twice gives the same system_fingerprint', requirement: 'Two answers to the same seeded request, moments apart, "should carry the same system_fingerprint".',
    async run(ctx, out) {
      const a = await seeded(ctx);
      if ('finding' in a) return a.finding;
      const b = await seeded(ctx, true);
      if ('finding' in b) return typeof b.finding === 'string' ? `the second identical request failed: ${b.finding}` : b.finding;
      const fa = fingerprint(a.x);
      const fb = fingerprint(b.x);
      out.notes.fingerprints = [fa, fb];
      if (typeof fa !== 'string' || fa === '' || typeof fb !== 'string' || fb === '') {
        return prerequisite(`system_fingerprint is ${show(fa)} and ${show(fb)}`, 'seed.fingerprint-present');
      }
      if (fa !== fb) return `the same seeded request gave system_fingerprint ${show(fa)}, then ${show(fb)}`;
    },
  },
  { id: 'seed.same-output', level: 'MAY', fault: 'seed.ignored', ref: param('seed'), dependsOnModel: true,
    title: 'The same seed gives the same output (rate)', requirement: `The same seeded request at temperature 0, sent ${SAMPLES} times, "may give the same content every time" (best effort; the rate is reported).`,
    async run(ctx, out) {
      const contents: unknown[] = [];
      const fingerprints: unknown[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const got = await seeded(ctx, true);
        if ('finding' in got) return got.finding;
        contents.push(messageOf(got.x)?.content);
        fingerprints.push(fingerprint(got.x));
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
]);
