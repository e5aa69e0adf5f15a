// The package as a user gets it: `npm pack`, then `npm i oai-compat-X.tgz` into an empty folder
// (dependencies from the npm cache), and there, with no TypeScript loader:
//  - `npx oai-compat --version`, `--help` of every command, `checks --json`;
//  - `npx oai-compat mock` serving, and stopping completely when its npx process gets SIGTERM;
//  - `npx oai-compat test --base-url` against it: exit 0 and the four report files (and html/);
//  - `npx oai-compat test` against the embedded mock: exit 0;
//  - each bad input: exit 2 within 30 s, one clear message naming the problem, nothing written;
//  - the library exports: oai-compat/mock, /msw, /schemas/*, /openapi.yaml, /types.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const tmp = mkdtempSync(path.join(tmpdir(), 'oai-compat-package-'));
const app = path.join(tmp, 'app');
const KEY = 'sk-oai-compat-package-test-0123456789';
const REPORT_FILES = ['compliance.json', 'compliance.html', 'junit.xml', 'badge.svg'];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The environment of a user's shell: none of the suite's variables, none of npm test's. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(BASE_URL|API_KEY|OPENAI_API_KEY|MODEL|REASONING_MODEL|PROFILE|REPEAT|REPORT_DIR|WORKERS|MOCK_.*|OAI_COMPAT_.*|PLAYWRIGHT_.*|PW_.*|NODE_TEST_CONTEXT|NODE_OPTIONS|npm_.*|INIT_CWD|TEST_WORKER_INDEX)$/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, CI: '1', FORCE_COLOR: '0', ...extra };
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? app, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

const npx = (args: string[], env?: NodeJS.ProcessEnv, timeoutMs?: number) => run('npx', ['--no-install', 'oai-compat', ...args], { env, timeoutMs });

interface Mock {
  url: string;
  pid: number;
  exited: Promise<number | null>;
}

/** `npx oai-compat mock ...` in the background; resolves once it prints where it listens. */
function startMock(args: string[]): Promise<Mock> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that the test can always remove it whole (after() below).
    const child = spawn('npx', ['--no-install', 'oai-compat', 'mock', '--port', '0', ...args], { cwd: app, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the mock did not start: ${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], pid: child.pid!, exited });
      }
    });
    child.stderr.on('data', (d) => (out += d));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Processes whose command line holds `marker` (the test's own, found by scanning /proc). */
function processesWith(marker: string): number[] {
  if (!existsSync('/proc')) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const started: number[] = [];
let mock: Mock;
let closedPort: number;

before(async () => {
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), '{ "name": "an-empty-project", "private": true }\n');
  const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: REPO, env: userEnv(), encoding: 'utf8', timeout: 240_000 });
  assert.equal(pack.status, 0, `npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  const tarball = path.join(tmp, pack.stdout.trim().split('\n').pop()!);
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, env: userEnv(), encoding: 'utf8', timeout: 240_000 });
  assert.equal(install.status, 0, `npm install of the tarball failed:\n${install.stdout}\n${install.stderr}`);
  // strict about model names (--models), so that a model it does not serve stops the preflight
  mock = await startMock(['--require-key', KEY, '--models', 'mock-gpt']);
  started.push(mock.pid);
  closedPort = await freePort();
});

after(() => {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already stopped
    }
  }
  if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
});

describe('the packed package, installed into an empty folder', { timeout: 600_000 }, () => {
  test('it holds built JavaScript only: no TypeScript sources, no tests, no test support', () => {
    const root = path.join(app, 'node_modules', 'oai-compat');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' });
    assert.ok(files.includes(path.join('dist', 'cli', 'main.js')));
    assert.deepEqual(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), []);
    assert.deepEqual(files.filter((f) => /\.test\./.test(f)), []);
    assert.deepEqual(files.filter((f) => f.split(path.sep).includes('test-support')), []);
  });

  test('--version, --help of every command, checks --json', async () => {
    const version = await npx(['--version']);
    assert.equal(version.stdout.trim(), VERSION);
    // The installed bin itself (what npx runs), without npm's start-up for each.
    const bin = (args: string[]) => run(process.execPath, [path.join(app, 'node_modules', '.bin', 'oai-compat'), ...args]);
    const commands = [['--help'], ['test', '--help'], ['mock', '--help'], ['record', '--help'], ['report', '--help'], ['checks', '--help']];
    const helps = await Promise.all(commands.map(bin));
    helps.forEach((r, i) => {
      assert.equal(r.code, 0, `${commands[i].join(' ')}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stdout, /usage|--port|options/i, commands[i].join(' '));
    });
    const checks = JSON.parse((await bin(['checks', '--json'])).stdout) as { id: string }[];
    assert.ok(checks.length >= 100);
  });

  test('oai-compat test --base-url against oai-compat mock: exit 0, the four report files and html/', async () => {
    const r = await npx(['test', '--base-url', `${mock.url}/v1`, '--report-dir', 'against-mock'], userEnv({ API_KEY: KEY }));
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    for (const f of REPORT_FILES) assert.ok(existsSync(path.join(app, 'against-mock', f)), f);
    assert.ok(existsSync(path.join(app, 'against-mock', 'html', 'index.html')));
    const report = JSON.parse(readFileSync(path.join(app, 'against-mock', 'compliance.json'), 'utf8'));
    assert.equal(report.summary.FAIL, 0);
    assert.equal(report.target.mock, false);
    assert.match(r.stdout, /exit code 0/);
    assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), 'the key is never printed');
  });

  test('oai-compat test with no --base-url judges the embedded mock: exit 0', async () => {
    // The core checks are enough to show the embedded mock runs from the package (npm test runs the whole suite against it).
    const r = await npx(['test', '--report-dir', 'embedded', '--grep', '^core\\.']);
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    const report = JSON.parse(readFileSync(path.join(app, 'embedded', 'compliance.json'), 'utf8'));
    assert.equal(report.target.mock, true);
    assert.equal(report.summary.total, report.summary.PASS + report.summary.INFO);
  });

  // One at a time: each is timed (under 30 s), and would wait for the others' CPU otherwise.
  describe('bad input: exit 2 within 30 s, one message naming the problem, no check run, nothing written', () => {
    const profiles = path.join(tmp, 'profiles');
    mkdirSync(profiles, { recursive: true });
    writeFileSync(path.join(profiles, 'not-yaml.yaml'), 'capabilities: [streaming\n  tools: true\n');
    writeFileSync(path.join(profiles, 'unknown-key.yaml'), 'name: x\ncapabilites:\n  streaming: true\n');
    writeFileSync(path.join(profiles, 'unknown-capability.yaml'), 'name: x\ncapabilities:\n  stremaing: true\n');
    const users = path.join(tmp, 'users-folder');
    mkdirSync(users, { recursive: true });
    writeFileSync(path.join(users, 'notes.txt'), 'mine\n');
    const base = () => `${mock.url}/v1`;
    const cases: { name: string; args: () => string[]; env?: Record<string, string>; says: RegExp }[] = [
      { name: 'BASE_URL without a scheme', args: () => ['--base-url', base().replace('http://', '')], says: /BASE_URL "127\.0\.0\.1:\d+\/v1" is not a URL with a scheme.*http:\/\/127/ },
      { name: 'BASE_URL with another scheme', args: () => ['--base-url', 'ftp://example.com/v1'], says: /must start with http:\/\/ or https:\/\// },
      { name: 'nothing listening', args: () => ['--base-url', `http://127.0.0.1:${closedPort}/v1`], says: /nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/ },
      { name: 'DNS failure', args: () => ['--base-url', 'http://oai-compat-test.invalid/v1'], says: /the host name oai-compat-test\.invalid does not resolve/ },
      { name: 'TLS failure', args: () => ['--base-url', base().replace('http://', 'https://')], env: { API_KEY: KEY }, says: /the TLS handshake with 127\.0\.0\.1:\d+ failed/ },
      { name: 'key refused', args: () => ['--base-url', base()], env: { API_KEY: 'sk-not-the-key-000000000000' }, says: /the endpoint refused the key \(HTTP 401/ },
      { name: 'no key where one is needed', args: () => ['--base-url', base()], says: /the endpoint wants a key \(HTTP 401/ },
      { name: 'empty API_KEY', args: () => ['--base-url', base()], env: { API_KEY: '' }, says: /API_KEY is set but empty/ },
      { name: 'model not served', args: () => ['--base-url', base(), '--model', 'no-such-model'], env: { API_KEY: KEY }, says: /does not serve the model "no-such-model".*GET \/models offers: mock-gpt/ },
      { name: 'profile missing', args: () => ['--profile', 'missing.yaml'], says: /profile missing\.yaml not found/ },
      { name: 'profile not YAML', args: () => ['--profile', path.join(profiles, 'not-yaml.yaml')], says: /not-yaml\.yaml is not valid YAML/ },
      { name: 'profile with an unknown key', args: () => ['--profile', path.join(profiles, 'unknown-key.yaml')], says: /unknown key "capabilites" \(did you mean "capabilities"\?\)/ },
      { name: 'profile with an unknown capability', args: () => ['--profile', path.join(profiles, 'unknown-capability.yaml')], says: /unknown capability "stremaing" \(did you mean "streaming"\?\)/ },
      { name: "REPORT_DIR holding the user's files", args: () => ['--report-dir', users], says: /REPORT_DIR .*users-folder is not empty and is not an oai-compat report folder \(it holds notes\.txt\)/ },
      { name: 'the key as a flag', args: () => ['--api-key', 'sk-x'], says: /the key is never a flag/ },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const reportDir = path.join(tmp, `bad-${c.name.replace(/\W+/g, '-')}`);
        const args = c.args();
        const withDir = args.includes('--report-dir') ? args : [...args, '--report-dir', reportDir];
        const r = await npx(['test', ...withDir], userEnv(c.env ?? {}), 60_000);
        const output = `${r.stdout}${r.stderr}`;
        assert.equal(r.code, 2, `exit ${r.code}\n${output.slice(-2000)}`);
        assert.ok(r.ms < 30_000, `took ${r.ms} ms`);
        assert.match(output, c.says);
        assert.equal(output.match(/^oai-compat: /gm)?.length, 1, `one message:\n${output}`);
        assert.doesNotMatch(output, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
        assert.ok(!existsSync(path.join(reportDir, 'compliance.json')), 'no report written');
        process.stdout.write(`# ${c.name}: exit 2 in ${r.ms} ms\n`);
      });
    }
  });

  test('oai-compat mock stops completely on SIGTERM to the npx process', async () => {
    const marker = `sk-stop-marker-${process.pid}-${Date.now()}`;
    const m = await startMock(['--require-key', marker]);
    started.push(m.pid);
    assert.equal((await fetch(`${m.url}/health`)).status, 200);
    process.kill(m.pid, 'SIGTERM');
    await m.exited;
    const deadline = performance.now() + 10_000;
    let left = processesWith(marker);
    while (left.length > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      left = processesWith(marker);
    }
    assert.deepEqual(left, [], 'processes left after SIGTERM');
    await assert.rejects(fetch(`${m.url}/health`), 'the port no longer answers');
  });

  test('library exports: oai-compat/mock, /msw, /schemas/*, /openapi.yaml, /types', async () => {
    writeFileSync(
      path.join(app, 'use.mjs'),
      `import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startMockServer } from 'oai-compat/mock';
import { createHandlers } from 'oai-compat/msw';
import { validate, SCHEMA_NAMES } from 'oai-compat';
import schema from 'oai-compat/schemas/chat-completion.schema.json' with { type: 'json' };
const server = await startMockServer({ port: 0, quiet: true });
const models = await (await fetch(server.url + '/v1/models')).json();
await server.close();
const files = ['oai-compat/openapi.yaml', 'oai-compat/schemas/profile.schema.json'].map((s) => existsSync(fileURLToPath(import.meta.resolve(s))));
const types = existsSync(fileURLToPath(import.meta.resolve('oai-compat/types')).replace(/\\.js$/, '.d.ts'));
console.log(JSON.stringify({ models: models.data.length, handlers: createHandlers().length, id: schema.$id, valid: validate('model-list', models).ok, schemas: SCHEMA_NAMES.length, files, types }));
`,
    );
    const r = await run(process.execPath, ['use.mjs']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.models >= 1 && out.handlers >= 1 && out.valid);
    assert.equal(out.schemas, 14, 'the entry lists the contract\'s schemas');
    assert.equal(out.id, 'https://oai-compat.dev/schemas/chat-completion.schema.json');
    assert.deepEqual(out.files, [true, true]);
    assert.equal(out.types, true);
  });
});
