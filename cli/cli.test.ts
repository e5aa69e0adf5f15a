// The command line's pieces without a run: flags to environment, the re-run commands it prints, and
// the console lines (a run's output is tested end to end in cli/package.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, defaultProfile, type RunConfig } from '../lib/config.ts';
import { formatCheckLine, formatHeader, formatSummary, painter } from '../reports/console.ts';
import { sampleReport } from '../test-support/sample-report.ts';
import { rerunCommand, rerunContext } from '../suites/runner/rerun.ts';
import { testArgs } from './test-command.ts';

test('every flag of test is its environment variable; a flag wins; the key comes from --api-key-env', () => {
  const parsed = testArgs(['--base-url', 'https://h/v1', '--model', 'm', '--profile', 'vllm', '--repeat', '3', '--report-dir', 'out', '--workers', '4', '--shard', '1/2', '--grep', 'stream.', '--api-key-env', 'MY_KEY'], { MODEL: 'env-model', MY_KEY: 'sk-mine' });
  assert.notEqual(parsed, 'help');
  if (parsed === 'help') return;
  assert.equal(parsed.env.BASE_URL, 'https://h/v1');
  assert.equal(parsed.env.MODEL, 'm');
  assert.equal(parsed.env.PROFILE, 'vllm');
  assert.equal(parsed.env.REPEAT, '3');
  assert.equal(parsed.env.REPORT_DIR, 'out');
  assert.equal(parsed.env.WORKERS, '4');
  assert.equal(parsed.env.API_KEY, 'sk-mine');
  assert.equal(parsed.env.OAI_COMPAT_KEY_ENV, 'MY_KEY');
  assert.deepEqual(parsed.playwrightArgs, ['--shard=1/2', '--grep', 'stream.']);
  const fromEnv = testArgs([], { MODEL: 'env-model' });
  assert.equal(fromEnv === 'help' ? fromEnv : fromEnv.env.MODEL, 'env-model');
  assert.equal(testArgs(['--help'], {}), 'help');
});

test('bad flags are ConfigErrors that say what is wrong', () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--api-key', 'sk-x'], {}, /the key is never a flag/],
    [['--base'], {}, /Unknown option '--base'/],
    [['extra'], {}, /positional/i],
    [['--shard', '3/2'], {}, /--shard must be I\/N/],
    [['--grep', '('], {}, /not a valid regular expression/],
    [['--grep', 'no-such-check-anywhere'], {}, /matches no check/],
    [['--api-key-env', 'NOPE'], {}, /NOPE is not set/],
    [['--api-key-env', 'EMPTY'], { EMPTY: '' }, /EMPTY is set but empty/],
    [['--model', ''], {}, /--model is empty/],
  ];
  for (const [argv, env, message] of cases) assert.throws(() => testArgs(argv, env), (e: unknown) => e instanceof ConfigError && message.test(e.message), argv.join(' '));
});

test('a leading ^ in --grep anchors at the check id, as Playwright matches the whole title path', () => {
  const parsed = testArgs(['--grep', '^core\\.'], {});
  assert.deepEqual(parsed === 'help' ? parsed : parsed.playwrightArgs, ['--grep', '(?:^|\\s)core\\.']);
});

function config(over: Partial<RunConfig> = {}): RunConfig {
  return { baseUrl: 'https://llm.example.com/v1', apiKey: 'sk-secret-123456789', profile: defaultProfile(), profilePath: 'suites/profiles/vllm.yaml', repeat: 1, reportDir: 'reports', mock: false, extraHeaders: {}, ...over };
}

test('re-run commands are complete: target, model, profile, the key as a variable, in the form the run was started', () => {
  const pw = rerunCommand('stream.done-sentinel', rerunContext(config(), 'gpt-4o-mini', {}));
  assert.equal(pw, `BASE_URL=https://llm.example.com/v1 MODEL=gpt-4o-mini PROFILE=suites/profiles/vllm.yaml API_KEY="$API_KEY" npx playwright test -g stream.done-sentinel:`);
  const cli = rerunCommand('stream.done-sentinel', rerunContext(config(), 'gpt-4o-mini', { OAI_COMPAT_CLI: '1' }));
  assert.equal(cli, `API_KEY="$API_KEY" npx oai-compat test --base-url https://llm.example.com/v1 --model gpt-4o-mini --profile suites/profiles/vllm.yaml --grep stream.done-sentinel:`);
  const own = rerunCommand('x.y', rerunContext(config({ repeat: 3 }), 'm', { OAI_COMPAT_CLI: '1', OAI_COMPAT_KEY_ENV: 'MY_KEY' }));
  assert.ok(own.includes('--api-key-env MY_KEY') && own.includes('--repeat 3') && !own.includes('sk-secret'), own);
  const mock = rerunCommand('x.y', rerunContext(config({ mock: true, profilePath: undefined }), 'mock-gpt', { MOCK_FAULT: 'no-done' }));
  assert.equal(mock, 'MOCK_FAULT=no-done npx playwright test -g x.y:');
  const noAuth = rerunCommand('x.y', rerunContext(config({ profile: { ...defaultProfile(), auth: { style: 'none' } } }), 'm', {}));
  assert.ok(!noAuth.includes('API_KEY'), noAuth);
  const quoted = rerunCommand('x.y', rerunContext(config({ baseUrl: "https://h/v1?x=a b'c" }), "it's", {}));
  assert.ok(quoted.includes(`MODEL='it'\\''s'`), quoted);
});

test('console: a line per check with its real verdict (a WARN is not a ✓), a header, a summary with the failed ids', () => {
  const paint = painter(false);
  const report = sampleReport();
  const warn = report.checks.find((c) => c.verdict === 'WARN')!;
  const fail = report.checks.find((c) => c.verdict === 'FAIL')!;
  assert.match(formatCheckLine(warn, paint), /^ {2}! WARN/);
  assert.ok(!formatCheckLine(warn, paint).includes('✓'));
  assert.match(formatCheckLine(fail, paint), /✕ FAIL[\s\S]*re-run: /);
  const header = formatHeader(
    { version: '1.2.3', target: 'https://h/v1', mock: false, model: 'm', modelSource: 'MODEL', profile: 'vllm', profileName: 'vllm', claimed: ['streaming'], notClaimed: ['n'], probed: ['vision'], auth: 'bearer', keyEnv: 'API_KEY', checks: 160, checksInSuite: 160, workers: 2, reportDir: 'reports' },
    paint,
  );
  for (const needle of ['https://h/v1', 'm (MODEL)', 'claimed: streaming; not claimed: n; probed: vision', 'key from $API_KEY']) assert.ok(header.includes(needle), needle);
  const summary = formatSummary({ report, reportDir: 'reports', written: true }, paint);
  assert.ok(summary.includes(`FAIL: ${fail.id}`) || summary.includes(fail.id), summary);
  assert.match(summary, /xdg-open reports\/compliance\.html .* open reports\/compliance\.html/);
  assert.match(summary, /exit code 1/);
});
