// junit.xml for CI systems: one testcase per check, one testsuite per capability.
// FAIL is a <failure>; SKIP and UNSUPPORTED are <skipped>; every verdict (WARN and KNOWN included) is
// visible in the testcase's <properties> and <system-out>. Everything is escaped for XML 1.0.
import type { CheckResult } from '../lib/results.ts';
import { escapeXml as x } from './escape.ts';
import type { ComplianceReport } from './model.ts';
import { capabilities, levelLine, tallyByLevel } from './summary.ts';

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
const attr = (name: string, value: unknown) => ` ${name}="${x(value, true)}"`;

function isFailure(c: CheckResult): boolean {
  return c.verdict === 'FAIL';
}

function isSkipped(c: CheckResult): boolean {
  return c.verdict === 'SKIP' || c.verdict === 'UNSUPPORTED';
}

function testcase(c: CheckResult, indent: string): string {
  const props: [string, unknown][] = [
    ['verdict', c.verdict],
    ['level', c.level],
    ['capability', c.capability],
    ['requirement', c.requirement],
    ['rerun', c.rerun],
  ];
  if (c.repeat) props.push(['repeat', `${c.repeat.passes}/${c.repeat.k} (pass@k ${c.repeat.passAtK}, pass^k ${c.repeat.passHatK})`]);
  for (const [k, v] of Object.entries(c.metrics ?? {})) props.push([`metric.${k}`, v]);
  const lines = [
    `${indent}<testcase${attr('classname', c.capability)}${attr('name', `${c.id}: ${c.title}`)}${attr('time', seconds(c.durationMs))}>`,
    `${indent}  <properties>`,
    ...props.map(([k, v]) => `${indent}    <property${attr('name', k)}${attr('value', v)}/>`),
    `${indent}  </properties>`,
  ];
  const detail = `${c.message}\n\nrequirement: ${c.requirement}\nre-run: ${c.rerun}`;
  if (isFailure(c)) {
    lines.push(`${indent}  <failure${attr('message', firstLine(c.message))}${attr('type', `${c.level} ${c.verdict}`)}>${x(detail)}</failure>`);
  } else if (isSkipped(c)) {
    lines.push(`${indent}  <skipped${attr('message', `${c.verdict}: ${firstLine(c.message)}`)}/>`);
  }
  lines.push(`${indent}  <system-out>${x(`verdict: ${c.verdict}\nlevel: ${c.level}\nmessage: ${c.message}\nrequirement: ${c.requirement}\nre-run: ${c.rerun}`)}</system-out>`);
  lines.push(`${indent}</testcase>`);
  return lines.join('\n');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function renderJunit(report: ComplianceReport): string {
  const caps = capabilities(report);
  const all = report.checks;
  const failures = all.filter(isFailure).length;
  const skipped = all.filter(isSkipped).length;
  const totalTime = seconds(report.durationMs);
  const t = report.target;
  const suites = caps.map((cap) => {
    const checks = all.filter((c) => c.capability === cap);
    const time = seconds(checks.reduce((s, c) => s + (c.durationMs ?? 0), 0));
    return [
      `  <testsuite${attr('name', cap)}${attr('tests', checks.length)}${attr('failures', checks.filter(isFailure).length)}${attr('errors', 0)}${attr('skipped', checks.filter(isSkipped).length)}${attr('time', time)}${attr('timestamp', report.startedAt)}>`,
      `    <properties>`,
      `      <property${attr('name', 'levels')}${attr('value', levelLine(tallyByLevel(checks)))}/>`,
      `      <property${attr('name', 'run.levels')}${attr('value', levelLine(tallyByLevel(all)))}/>`,
      `      <property${attr('name', 'target.baseUrl')}${attr('value', t.baseUrl)}/>`,
      `      <property${attr('name', 'target.model')}${attr('value', t.model)}/>`,
      `      <property${attr('name', 'target.profile')}${attr('value', t.profile)}/>`,
      `      <property${attr('name', 'tool')}${attr('value', `${report.tool?.name ?? 'oai-compat'} ${report.tool?.version ?? ''}`)}/>`,
      `    </properties>`,
      ...checks.map((c) => testcase(c, '    ')),
      `  </testsuite>`,
    ].join('\n');
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attr('name', `oai-compat ${t.baseUrl} ${t.model}`)}${attr('tests', all.length)}${attr('failures', failures)}${attr('errors', 0)}${attr('skipped', skipped)}${attr('time', totalTime)}${attr('timestamp', report.startedAt)}>`,
    ...suites,
    `</testsuites>`,
    '',
  ].join('\n');
}
