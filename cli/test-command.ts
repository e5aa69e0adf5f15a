// `oai-compat test`: the conformance suite, run by Playwright with the suite's own config. Every flag
// is also an environment variable (BASE_URL, MODEL, PROFILE, REPEAT, REPORT_DIR, WORKERS); a flag wins.
// The key comes only from the environment: API_KEY, or the variable --api-key-env names.
// The preflight (the user's input, then the endpoint) runs in the suite's global setup, so that
// `npx playwright test` in a clone gets it too; its exit code 2 passes through unchanged.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkRunInputs, ConfigError } from '../lib/config.ts';
import { checkReportDir } from '../reports/report-dir.ts';
import { redactText, registerSecret } from '../lib/redact.ts';
import { allChecks } from '../suites/checks/index.ts';

export const TEST_HELP = `usage: oai-compat test [options] [-- playwright-options]

Runs the conformance suite against an OpenAI-compatible endpoint and writes compliance.html,
compliance.json, junit.xml and badge.svg (and Playwright's report in html/) into the report folder.

options (each also as the environment variable in brackets; a flag wins):
  --base-url URL      where /chat/completions lives, e.g. https://api.example.com/v1 [BASE_URL];
                      without it, the embedded mock server is started and judged
  --model M           the model to test [MODEL]; default: the profile's, else the first of GET /models
  --profile FILE      a capability profile (YAML), or a bundled one by name: azure, llama-cpp, mock,
                      ollama, openai, vllm [PROFILE]
  --repeat K          runs of the checks that depend on the model's choices (pass@k, pass^k) [REPEAT]
  --report-dir DIR    where reports go (default ./reports) [REPORT_DIR]; must be new, empty, or an
                      earlier oai-compat report folder
  --workers N         parallel workers (default 2) [WORKERS]
  --shard I/N         run the I-th of N parts (merge them with npx playwright merge-reports)
  --grep ID           run only the checks whose "ID: TITLE @LEVEL @CAPABILITY" matches this regular
                      expression, e.g. stream.done-sentinel, ^tools\., @MUST
  --api-key-env NAME  take the key from the variable NAME instead of API_KEY
  -h, --help

the key: API_KEY=... (never a flag, never written to any report or log). Other variables:
REASONING_MODEL, OAI_COMPAT_MAX_BODY_MB (largest body judged, default 128).

exit codes: 0 no MUST requirement failed, 1 a MUST failed, 2 the endpoint could not be judged (bad
input, unreachable, TLS or DNS failure, key refused, model not served), 130 interrupted.

examples:
  API_KEY=sk-... npx oai-compat test --base-url https://api.example.com/v1 --model gpt-4o-mini
  npx oai-compat test --base-url http://localhost:8000/v1 --profile vllm --grep stream.
  npx oai-compat test                      # the embedded mock: what a clean run looks like`;

const ENV_OF_FLAG = { 'base-url': 'BASE_URL', model: 'MODEL', profile: 'PROFILE', repeat: 'REPEAT', 'report-dir': 'REPORT_DIR', workers: 'WORKERS' } as const;

interface TestArgs {
  env: NodeJS.ProcessEnv;
  playwrightArgs: string[];
}

/** Flags and the environment → the suite's environment and Playwright's arguments; a ConfigError for bad input. */
export function testArgs(argv: string[], environment: NodeJS.ProcessEnv): TestArgs | 'help' {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const passthrough = split < 0 ? [] : argv.slice(split + 1);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: own,
      options: {
        'base-url': { type: 'string' },
        model: { type: 'string' },
        profile: { type: 'string' },
        repeat: { type: 'string' },
        'report-dir': { type: 'string' },
        workers: { type: 'string' },
        shard: { type: 'string' },
        grep: { type: 'string', short: 'g' },
        'api-key-env': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    if (/--api-key|--key\b|--token/.test(own.join(' '))) {
      throw new ConfigError('the key is never a flag (it would stay in the shell history and the process list): set API_KEY, or --api-key-env NAME');
    }
    throw new ConfigError(`${(error as Error).message.split('\n')[0]}; see oai-compat test --help`);
  }
  if (values.help) return 'help';
  const env: NodeJS.ProcessEnv = { ...environment, OAI_COMPAT_CLI: '1' };
  for (const [flag, name] of Object.entries(ENV_OF_FLAG)) {
    const value = values[flag];
    if (typeof value === 'string') {
      if (value.trim() === '') throw new ConfigError(`--${flag} is empty`);
      env[name] = value;
    }
  }
  const keyEnv = values['api-key-env'];
  if (typeof keyEnv === 'string') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) throw new ConfigError(`--api-key-env takes the name of a variable (e.g. MY_KEY), not "${keyEnv.slice(0, 8)}…"`);
    const key = environment[keyEnv];
    if (key === undefined) throw new ConfigError(`--api-key-env ${keyEnv}: the variable ${keyEnv} is not set`);
    if (key === '') throw new ConfigError(`--api-key-env ${keyEnv}: the variable ${keyEnv} is set but empty`);
    env.API_KEY = key;
    env.OAI_COMPAT_KEY_ENV = keyEnv;
  }
  const playwrightArgs: string[] = [];
  const shard = values.shard;
  if (typeof shard === 'string') {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new ConfigError(`--shard must be I/N with 1 <= I <= N, e.g. 1/3 (got "${shard}")`);
    playwrightArgs.push(`--shard=${shard}`);
  }
  const grep = values.grep;
  if (typeof grep === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(grep);
    } catch {
      throw new ConfigError(`--grep "${grep}" is not a valid regular expression`);
    }
    if (!allChecks.some((c) => pattern.test(`${c.id}: ${c.title} @${c.level} @${c.capability}`))) {
      throw new ConfigError(`--grep "${grep}" matches no check (oai-compat checks lists them)`);
    }
    // Playwright matches the whole title path ("core.spec.ts core.object: ... @MUST @core"): a leading
    // ^ meant for the id becomes "at the start or after a space".
    playwrightArgs.push('--grep', grep.startsWith('^') ? `(?:^|\\s)${grep.slice(1)}` : grep);
  }
  return { env, playwrightArgs: [...playwrightArgs, ...passthrough] };
}

export async function runTestCommand(argv: string[]): Promise<number> {
  let parsed: TestArgs | 'help';
  registerSecret(process.env.API_KEY || process.env.OPENAI_API_KEY);
  try {
    parsed = testArgs(argv, process.env);
    if (parsed !== 'help') registerSecret(parsed.env.API_KEY);
    // What needs no network is checked here too, before Playwright's start-up (the global setup
    // checks it again, for runs started with npx playwright test).
    if (parsed !== 'help') {
      checkRunInputs(parsed.env);
      checkReportDir(parsed.env.REPORT_DIR || 'reports');
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`oai-compat: ${redactText(error.message)}\n(exit code 2: the endpoint was not judged; no check ran and no report was written)\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${TEST_HELP}\n`);
    return 0;
  }
  // Playwright empties its output folder at the start of a run: give it one of its own.
  const outputDir = mkdtempSync(path.join(tmpdir(), 'oai-compat-test-results-'));
  const here = fileURLToPath(import.meta.url);
  const config = path.join(path.dirname(here), '..', `playwright.config${path.extname(here)}`);
  const playwright = createRequire(import.meta.url).resolve('@playwright/test/cli');
  try {
    return await runChild(process.execPath, [playwright, 'test', '--config', config, ...parsed.playwrightArgs], { ...parsed.env, OAI_COMPAT_OUTPUT_DIR: outputDir });
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

/**
 * Run Playwright in its own process group, so that a Ctrl-C reaches it once, from us: a second SIGINT
 * makes Playwright quit without writing the reports, and under npx a Ctrl-C arrives here twice (from
 * the terminal and from npm), so a repeat within half a second is not passed on. SIGTERM likewise.
 */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit', detached: true });
    const lastSent = new Map<NodeJS.Signals, number>();
    const forward = (signal: NodeJS.Signals) => () => {
      const now = performance.now();
      if (now - (lastSent.get(signal) ?? -Infinity) < 500) return;
      lastSent.set(signal, now);
      if (child.exitCode === null && child.pid) process.kill(-child.pid, signal);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const stopChild = () => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    process.on('exit', stopChild);
    child.on('error', (error) => {
      process.stderr.write(`oai-compat: cannot start Playwright: ${error.message}\n`);
      resolve(2);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('exit', stopChild);
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
}
