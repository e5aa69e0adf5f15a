// The thin Playwright layer: one test per check, its result carried in the test's annotations.
import { test } from '@playwright/test';
import { displayBaseUrl, loadConfig } from '../../lib/config.ts';
import { RESULT_ANNOTATION, TARGET_ANNOTATION, type TargetInfo } from '../../reports/model.ts';
import type { Check } from '../checks/types.ts';
import { resolveModel } from './context.ts';
import { runCheck } from './run-check.ts';

export function defineChecks(checks: Check[]): void {
  const config = loadConfig();
  test.describe.configure({ mode: 'default' });
  for (const check of checks) {
    test(`${check.id}: ${check.title}`, { tag: [`@${check.level}`, `@${check.capability}`] }, async ({}, testInfo) => {
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
    });
  }
}
