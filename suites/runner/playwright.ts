// The thin Playwright layer: one test per check, its result carried in the test's annotations.
// A spec declares its checks with `for (const check of checks) test(...checkTest(check));` so that
// every test is located in its spec file.
//
// Everything handed to Playwright here (annotations, the skip reason, anything a check prints) is
// redacted and bounded first, so that no reporter, ours or Playwright's, ever sees a key or a
// 200,000-event stream.
//
// A FAIL verdict does not fail the test in the worker: Playwright replaces a worker after every failed
// test (a second or more of start-up each), which made a run against a failing endpoint ten times
// slower than a clean one. The compliance reporter (reports/reporter.ts, first in the reporter list)
// marks the test failed, with the verdict's message, before Playwright's own reporters (HTML, JUnit,
// list, blob) and its exit code see it. A run without that reporter (--reporter=dot alone) fails the
// test here, as before: slower, never silent.
import { test, type TestInfo } from '@playwright/test';
import { displayBaseUrl, loadConfig, type RunConfig } from '../../lib/config.ts';
import { redactJson, redactText } from '../../lib/redact.ts';
import { boundResult } from '../../reports/bound.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, VERDICT_ANNOTATION, type TargetInfo } from '../../reports/model.ts';
import type { Check } from '../checks/types.ts';
import { sentRequests } from './client.ts';
import { resolveModel } from './context.ts';
import { rerunCommand, rerunContext } from './rerun.ts';
import { runCheck } from './run-check.ts';

let config: RunConfig | undefined;

// In a worker (not in the runner process that collects the tests), whatever a check or a library
// prints reaches Playwright's report as the test's stdout: redact it on the way.
if (process.env.TEST_WORKER_INDEX !== undefined) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      return write(text === undefined ? chunk : redactText(text), ...rest);
    }) as typeof stream.write;
  }
}

/** The title, details and body of the Playwright test that runs one check. */
export function checkTest(check: Check): [string, { tag: string[] }, (fixtures: object, testInfo: TestInfo) => Promise<void>] {
  return [`${check.id}: ${check.title}`, { tag: [`@${check.level}`, `@${check.capability}`] }, ({}, testInfo) => runAsTest(check, testInfo)];
}

async function runAsTest(check: Check, testInfo: TestInfo): Promise<void> {
  // Read in the worker, after the global setup has set BASE_URL and friends.
  config ??= loadConfig();
  const runs = check.dependsOnModel ? config.repeat : 1;
  testInfo.setTimeout(config.profile.timeouts.check * runs + 5_000);
  const model = await resolveModel(config);
  const target: TargetInfo = redactJson({
    baseUrl: displayBaseUrl(config),
    model,
    profile: config.profilePath ?? config.profile.name,
    auth: config.profile.auth.style,
    mock: config.mock,
  });
  const sentBefore = sentRequests();
  const raw = await runCheck(check, config, model);
  // Checks in a worker run one at a time: exchanges this check judged but did not send were answered
  // earlier for another check (identical protocol requests are sent once per run).
  const shared = runs === 1 ? Math.max(0, (raw.evidence?.exchanges.length ?? 0) - (sentRequests() - sentBefore)) : 0;
  const rerun = rerunCommand(check.id, rerunContext(config, model));
  const result = boundResult(redactJson({ ...raw, rerun, ...(shared > 0 ? { sharedExchanges: shared } : {}) }));
  testInfo.annotations.push(
    { type: RESULT_ANNOTATION, description: JSON.stringify(result) },
    { type: TARGET_ANNOTATION, description: JSON.stringify(target) },
    { type: VERDICT_ANNOTATION, description: `${result.verdict} (${result.level}): ${result.message.split('\n')[0].slice(0, 300)}` },
  );
  if (result.verdict === 'SKIP') test.skip(true, result.message);
  if (result.verdict === 'FAIL' && !complianceReporterIn(testInfo)) {
    const failure = new Error(`${result.id} [${result.level}] FAIL: ${result.message}\n  requirement: "${result.requirement}"\n  re-run: ${result.rerun}`);
    failure.stack = `Error: ${failure.message}`;
    throw failure;
  }
}

/** Whether this run's reporters include the compliance reporter, which marks FAIL verdicts as failed tests. */
function complianceReporterIn(testInfo: TestInfo): boolean {
  return testInfo.config.reporter.some(([name]) => /reports[\\/]reporter\.[jt]s$/.test(name));
}
