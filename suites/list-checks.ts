// `npm run checks`: every check with its level, capability, title and where its requirement comes from.
import { allChecks } from './checks/index.ts';

const json = process.argv.includes('--json');
if (json) {
  console.log(JSON.stringify(allChecks.map(({ id, level, capability, title, requirement, ref, fault }) => ({ id, level, capability, title, requirement, ref, fault })), null, 2));
} else {
  const width = Math.max(...allChecks.map((c) => c.id.length));
  for (const c of allChecks) console.log(`${c.id.padEnd(width)}  ${c.level.padEnd(6)}  ${c.capability.padEnd(17)}  ${c.title}\n${' '.repeat(width + 2)}  ${c.ref}`);
  const by = (l: string) => allChecks.filter((c) => c.level === l).length;
  console.log(`\n${allChecks.length} checks: ${by('MUST')} MUST, ${by('SHOULD')} SHOULD, ${by('MAY')} MAY`);
}
