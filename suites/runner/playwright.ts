// The thin Playwright layer: one test per check, its result carried in the test's annotations.
// A spec declares its checks with `for (const check of checks) test(...checkTest(check));` so that
// every test is located in its spec file.
import { test, type TestInfo } from '@playwright/test';
import { displayBaseUrl, loadConfig, type RunConfig } from '../../lib/config.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, type TargetInfo } from '../../reports/model.ts';
import type { Check } from '../checks/types.ts';
import { resolveModel } from './context.ts';
import { runCheck } from './run-check.ts';

let config: RunConfig | undefined;

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
  const target: TargetInfo = {
    baseUrl: displayBaseUrl(config),
    model,
    profile: config.profilePath ?? config.profile.name,
    auth: config.profile.auth.style,
    mock: config.mock,
  };
  const result = await runCheck(check, config, model);
  testInfo.annotations.push(
    { type: RESULT_ANNOTATION, description: JSON.stringify(result) },
    { type: TARGET_ANNOTATION, description: JSON.stringify(target) },
  );
  if (result.verdict === 'FAIL') {
    const failure = new Error(`${check.id} [${check.level}] FAIL: ${result.message}\n  requirement: "${check.requirement}"\n  re-run: ${result.rerun}`);
    // The verdict is the whole story: no stack and no code frame of the runner.
    failure.stack = `Error: ${failure.message}`;
    throw failure;
  }
  if (result.verdict === 'SKIP') test.skip(true, result.message);
}
