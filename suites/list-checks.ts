// `oai-compat checks [--json]` and `npm run checks`: every check with its level, capability, title and
// where its requirement comes from.
import { fileURLToPath } from 'node:url';
import { allChecks } from './checks/index.ts';

const HELP = `usage: oai-compat checks [--json]

Lists every check of the suite: id, level (MUST, SHOULD, MAY), capability, title and the source of
its requirement (the OpenAI API reference, the contract, or the SSE specification).
  --json   id, level, capability, title, requirement, ref and proving fault of each, as JSON`;

export function listChecks(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    console.error(`oai-compat checks: unknown argument ${unknown[0]}\n\n${HELP}`);
    return 2;
  }
  if (argv.includes('--json')) {
    console.log(JSON.stringify(allChecks.map(({ id, level, capability, title, requirement, ref, fault }) => ({ id, level, capability, title, requirement, ref, fault })), null, 2));
    return 0;
  }
  const width = Math.max(...allChecks.map((c) => c.id.length));
  for (const c of allChecks) console.log(`${c.id.padEnd(width)}  ${c.level.padEnd(6)}  ${c.capability.padEnd(17)}  ${c.title}\n${' '.repeat(width + 2)}  ${c.ref}`);
  const by = (l: string) => allChecks.filter((c) => c.level === l).length;
  console.log(`\n${allChecks.length} checks: ${by('MUST')} MUST, ${by('SHOULD')} SHOULD, ${by('MAY')} MAY`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = listChecks(process.argv.slice(2));
