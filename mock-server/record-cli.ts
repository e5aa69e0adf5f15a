// npm run record -- --target URL --out fixtures/recorded/NAME [--request file.json | --proxy --port N]
// npm run record -- --target URL --cassette DIR/cassette.jsonl [--port N]   (a whole suite run)
//   [--auth bearer|azure|none] [--header 'name: value']... [--title TEXT] [--host 127.0.0.1]
// The API key comes from the environment (API_KEY) and is never written.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { redactText, redactUrl, registerSecret } from '../lib/redact.ts';
import { startCassetteRecorder } from './cassette.ts';
import type { RecordAuth } from './capture.ts';
import { recordOnce } from './recorder.ts';
import { startRecordingProxy } from './recording-proxy.ts';

const USAGE = `usage:
  npm run record -- --target URL --out fixtures/recorded/NAME --request request.json
  npm run record -- --target URL --out fixtures/recorded/NAME --proxy [--port 4011]
  npm run record -- --target URL --cassette DIR/cassette.jsonl [--port 4011]
options:
  --target URL       the API base, e.g. https://api.openai.com/v1 (chat/completions is appended);
                     cassette mode: the server's origin, the path of each request is kept as sent
  --out PATH         the fixture to write (its base name is the id); in proxy mode NAME-001, NAME-002, ...
  --request FILE     replay mode: the JSON request body to send
  --proxy            proxy mode: listen and record every chat completion that passes through
  --cassette FILE    cassette mode: listen and record every exchange (any path, credentials passed
                     through and never written) into FILE, e.g. a whole suite run to judge offline
                     later (replay: npm run mock -- --cassette FILE)
  --port N           proxy mode: the port to listen on (default 4011; 0 = any free port)
  --host H           proxy mode: the address to listen on (default 127.0.0.1)
  --auth STYLE       bearer (default), azure (api-key header) or none; the key is env API_KEY
  --header 'N: V'    an extra request header (repeatable), e.g. 'x-mock-scenario: stream-text'
  --title TEXT       replay mode: the fixture title
  --notes TEXT       replay mode: appended to source.notes (e.g. which server and version the target is)`;

function main(): void {
  let args;
  try {
    args = parseArgs({
      options: {
        target: { type: 'string' },
        out: { type: 'string' },
        request: { type: 'string' },
        proxy: { type: 'boolean', default: false },
        cassette: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        auth: { type: 'string' },
        header: { type: 'string', multiple: true },
        title: { type: 'string' },
        notes: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (args.target && args.cassette) return recordCassette(args.target, args.cassette, args.port, args.host);
  if (!args.target || !args.out) fail(`--target and --out are required (or --target and --cassette)\n${USAGE}`);
  if (!!args.request === args.proxy) fail(`give either --request FILE or --proxy\n${USAGE}`);
  const auth = (args.auth ?? 'bearer') as RecordAuth;
  if (!['bearer', 'azure', 'none'].includes(auth)) fail(`--auth must be bearer, azure or none`);
  const apiKey = process.env.API_KEY || undefined;
  registerSecret(apiKey);
  if (!apiKey && auth !== 'none') console.error('note: API_KEY is not set; sending no credentials');
  const headers: Record<string, string> = {};
  for (const h of args.header ?? []) {
    const at = h.indexOf(':');
    if (at <= 0) fail(`--header "${h}" is not "name: value"`);
    headers[h.slice(0, at).trim().toLowerCase()] = h.slice(at + 1).trim();
  }
  const target = args.target;

  if (args.request) {
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(readFileSync(args.request, 'utf8'));
    } catch (e) {
      fail(`cannot read the request ${args.request}: ${(e as Error).message}`);
    }
    const controller = new AbortController();
    const stop = () => {
      controller.abort();
      console.error('interrupted: nothing written');
      process.exit(130);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    recordOnce({ target, apiKey, auth, headers, request, out: args.out, title: args.title, notes: args.notes, signal: controller.signal })
      .then(({ file, fixture }) => {
        const kind = fixture.response.writes ? `stream, ${fixture.response.writes.length} writes` : 'non-stream';
        console.log(`wrote ${file} (HTTP ${fixture.response.status}, ${kind})`);
        process.exit(0);
      })
      .catch((e: unknown) => fail(`recording failed, nothing written: ${redactText(String((e as Error)?.message ?? e))}`));
    return;
  }

  const port = args.port === undefined ? 4011 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number`);
  startRecordingProxy({
    target,
    apiKey,
    auth,
    headers,
    out: args.out,
    port,
    host: args.host,
    onRecord: (e) => console.log(e.file ? `wrote ${e.file}` : `not recorded: ${e.dropped}`),
  }).then(
    (proxy) => {
      console.log(`recording proxy on ${proxy.url}/v1 -> ${redactUrl(target)} (Ctrl-C to stop)`);
      const stop = () => {
        proxy.close().then(() => {
          console.log(`stopped; ${proxy.files.length} fixture(s) written`);
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (e: unknown) => fail(`cannot start the proxy: ${(e as Error).message}`),
  );
}

function recordCassette(target: string, file: string, portArg: string | undefined, host: string | undefined): void {
  const port = portArg === undefined ? 4011 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number`);
  startCassetteRecorder({ target, file, port, host }).then(
    (recorder) => {
      console.log(`recording every exchange on ${recorder.url} -> ${redactUrl(target)} into ${file} (Ctrl-C to stop)`);
      console.log(`  e.g. BASE_URL=${recorder.url}/v1 npx playwright test`);
      const stop = () => {
        recorder.close().then(() => {
          console.log(`stopped; ${recorder.entries.length} exchange(s) in ${file}`);
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (e: unknown) => fail(`cannot start the recorder: ${(e as Error).message}`),
  );
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main();
