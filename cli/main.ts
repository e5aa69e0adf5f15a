#!/usr/bin/env node
// `oai-compat`: the conformance suite, the mock server, the recorder, report comparison and the list
// of checks, from any folder (npx oai-compat ...). Each subcommand answers --help.
import { PACKAGE_VERSION } from '../lib/package-info.ts';
import { stopWithLauncher } from './launcher.ts';

const HELP = `oai-compat ${PACKAGE_VERSION}: the contract, conformance suite and mock server for OpenAI-compatible Chat Completions APIs

usage: oai-compat <command> [options]

commands:
  test             run the conformance suite against an endpoint (--base-url), or the embedded mock
  mock             serve the mock OpenAI-compatible server (default http://127.0.0.1:4010/v1)
  record           record a real endpoint's answers as fixtures
  report compare   compare compliance.json files side by side (writes compare.html)
  report render    re-render compliance.html, junit.xml and badge.svg from a compliance.json
  checks           list every check (--json for machines)

  oai-compat <command> --help    the command's options
  oai-compat --version

examples:
  API_KEY=sk-... npx oai-compat test --base-url https://api.example.com/v1 --model gpt-4o-mini
  npx oai-compat test --base-url http://localhost:8000/v1 --profile vllm
  npx oai-compat mock --port 4010

exit codes of test: 0 no MUST requirement failed, 1 a MUST failed, 2 the endpoint could not be judged
(bad input, unreachable, key refused, model not served), 130 interrupted.`;

async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      if (command === 'help' && rest[0]) return main([rest[0], '--help']);
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      process.stdout.write(`${PACKAGE_VERSION}\n`);
      return 0;
    case 'test':
      stopWithLauncher();
      return (await import('./test-command.ts')).runTestCommand(rest);
    case 'mock':
      stopWithLauncher();
      // The mock's own command line (mock-server/cli.ts) reads process.argv and runs on import.
      process.argv = [process.argv[0], 'oai-compat mock', ...rest];
      await import('../mock-server/cli.ts');
      return undefined;
    case 'record':
      stopWithLauncher();
      process.argv = [process.argv[0], 'oai-compat record', ...rest];
      await import('../mock-server/record-cli.ts');
      return undefined;
    case 'report': {
      const { main: reportMain } = await import('../reports/cli.ts');
      return reportMain(rest);
    }
    case 'checks':
      return (await import('../suites/list-checks.ts')).listChecks(rest);
    default:
      process.stderr.write(`oai-compat: unknown command "${command}"\n\n${HELP}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`oai-compat: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
