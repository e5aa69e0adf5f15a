// npm run mock -- [--port 4010] [--host 127.0.0.1] [--speed 1] [--ttft-ms 20] [--chunk-delay-ms 5]
//                 [--fault ID[:PARAM]]... [--require-key KEY]
//                 [--via-msw] [--fixtures DIR] [--models a,b] [--quiet]
// npm run mock -- --cassette FILE [--port N] [--host H] [--speed X]   (replay a recorded suite run)
// Prints the base URL and its process id, one line per request (unless --quiet), and serves until
// SIGINT, SIGTERM or SIGHUP. `npm run mock` execs this process (package.json), so the PID of
// `npm run mock &` reaches it through npm, and nothing is left serving after a kill.
import { parseArgs } from 'node:util';
import { startCassetteServer } from './cassette.ts';
import { startMockServer } from './standalone.ts';

const HELP = `oai-compat mock server: an OpenAI-compatible Chat Completions endpoint for tests.

  --port N            port (default 4010; 0 picks a free one)
  --host HOST         address to listen on (default 127.0.0.1)
  --speed X           1 = recorded delays (default), 0 = no delays, 2 = twice as slow
  --ttft-ms MS        synthesized answers: delay before the first event at speed 1 (default 20)
  --chunk-delay-ms MS synthesized streams: delay between events at speed 1 (default 5)
  --fault ID[:PARAM]  a server-wide fault (repeatable, or comma-separated); GET /__mock/faults lists them
  --require-key KEY   require Authorization: Bearer KEY (or api-key: KEY); also MOCK_API_KEY
  --via-msw           answer through the msw handlers instead of writing bytes directly
  --fixtures DIR      the scenarios directory (default fixtures/)
  --models a,b        serve only these model names (and mock-gpt, mock-reasoner, fixture ids);
                      others get 404 model_not_found. Default: any model name is served
  --quiet             no access log (one line per request: method, path, status, scenario, fault, time)
  --cassette FILE     replay a recorded run instead (npm run record -- --cassette FILE): each request is
                      answered with what the endpoint answered to it; one it did not see gets a 501
  --help

Per request: x-mock-scenario: ID, x-mock-fault: ID[:PARAM][,...], x-mock-session: NAME,
x-mock-ttft-ms: MS, x-mock-chunk-delay-ms: MS. Journal: GET/DELETE /__mock/journal.`;

async function main(): Promise<void> {
  let values: Record<string, any>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        speed: { type: 'string', default: '1' },
        'ttft-ms': { type: 'string' },
        'chunk-delay-ms': { type: 'string' },
        fault: { type: 'string', multiple: true },
        'require-key': { type: 'string' },
        'via-msw': { type: 'boolean', default: false },
        fixtures: { type: 'string' },
        models: { type: 'string', multiple: true },
        quiet: { type: 'boolean', default: false },
        cassette: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const port = Number(values.port);
  const speed = Number(values.speed);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535 (got ${values.port})`);
  if (!Number.isFinite(speed) || speed < 0) fail(`--speed must be a number >= 0 (got ${values.speed})`);
  const timing: { ttftMs?: number; chunkDelayMs?: number } = {};
  for (const [flag, key] of [['ttft-ms', 'ttftMs'], ['chunk-delay-ms', 'chunkDelayMs']] as const) {
    if (values[flag] === undefined) continue;
    const ms = Number(values[flag]);
    if (!Number.isFinite(ms) || ms < 0) fail(`--${flag} must be milliseconds >= 0 (got ${values[flag]})`);
    timing[key] = ms;
  }
  let server: { close(): Promise<void> };
  try {
    server = values.cassette ? await replay(values.cassette, port, values.host, speed) : await startMockServer({
      port,
      host: values.host,
      speed,
      timing,
      faults: values.fault ?? [],
      requireKey: values['require-key'] ?? process.env.MOCK_API_KEY ?? undefined,
      viaMsw: values['via-msw'],
      fixturesDir: values.fixtures,
      models: values.models === undefined ? undefined : values.models.flatMap((m: string) => m.split(',')).map((m: string) => m.trim()).filter(Boolean),
      accessLog: !values.quiet,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the mock server\n`);
    // hanging streams are ended by close(); the timer only guards against a close that never returns
    setTimeout(() => process.exit(0), 3000).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
}

async function replay(file: string, port: number, host: string, speed: number) {
  const server = await startCassetteServer({ file, port, host, speed });
  process.stdout.write(`oai-compat mock server listening on ${server.url}/v1 (pid ${process.pid}; replaying ${file})\n`);
  return server;
}

function fail(message: string): never {
  process.stderr.write(`oai-compat mock server: ${message}\n`);
  process.exit(2);
}

void main();
