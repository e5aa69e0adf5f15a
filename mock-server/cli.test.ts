// The mock as a client developer starts it: `npm run mock` answers any model name, logs one line per
// request (never a key), `--models` makes it strict, `--quiet` silences the log, and a SIGTERM or
// SIGINT to the PID of `npm run mock` stops everything (nothing is left serving).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startMockServer } from './standalone.ts';
import { rawRequest } from '../test-support/mock.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'sk-cli-test-0123456789abcdef';
const started: ChildProcess[] = [];

after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface RunningCli {
  npm: ChildProcess;
  url: string;
  /** the process that serves (it prints its pid) */
  pid: number;
  output(): string;
  exited: Promise<void>;
}

/** `npm run mock -- ARGS` on a free port; resolves once it prints its URL and pid. */
function npmRunMock(args: string[]): Promise<RunningCli> {
  const npm = spawn('npm', ['run', '--silent', 'mock', '--', '--port', '0', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(npm);
  let out = '';
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)\/v1 .*\(pid (\d+);/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ npm, url: m[1], pid: Number(m[2]), output: () => out, exited });
      }
    };
    npm.stdout!.on('data', onData);
    npm.stderr!.on('data', onData);
    npm.once('exit', (code) => reject(new Error(`npm run mock exited (${code}):\n${out}`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function chat(url: string, model: string, headers: Record<string, string> = {}) {
  return rawRequest(`${url}/v1/chat/completions?api-key=${KEY}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }] }),
    timeoutMs: 10_000,
  });
}

describe('npm run mock', { concurrency: true }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`any model name, one log line per request without the key, and ${signal} to npm's PID stops the server`, async () => {
      const cli = await npmRunMock(['--require-key', KEY]);
      assert.match(cli.output(), /any model name/);
      for (const model of ['gpt-4o-mini', 'gpt-3.5-turbo', 'qwen-plus']) {
        const res = await chat(cli.url, model);
        assert.equal(res.status, 200, res.body.toString());
        assert.equal(JSON.parse(res.body.toString()).model, model);
      }
      const faulted = await chat(cli.url, 'gpt-4o-mini', { 'x-mock-fault': 'status:503' });
      assert.equal(faulted.status, 503);
      await until(() => (cli.output().match(/^POST \/v1\/chat\/completions /gm) ?? []).length === 4, 'four access-log lines');
      assert.match(cli.output(), /^POST \/v1\/chat\/completions 200 synth \d+ ms$/m);
      assert.match(cli.output(), /^POST \/v1\/chat\/completions 503 synth fault=status:503 \d+ ms$/m);
      assert.ok(!cli.output().includes(KEY), 'the key is never printed');

      assert.ok(alive(cli.pid));
      cli.npm.kill(signal);
      await cli.exited;
      await until(() => !alive(cli.pid), `the serving process ${cli.pid} exits`);
      const after = await rawRequest(`${cli.url}/health`, { timeoutMs: 2_000 });
      assert.equal(after.status, 0, 'nothing answers on the port any more');
    });
  }

  test('--models makes it strict (GET /models lists them), --quiet leaves out the access log', async () => {
    const cli = await npmRunMock(['--models', 'qwen-plus,llama-3.1-8b', '--quiet']);
    assert.match(cli.output(), /models: mock-gpt, mock-reasoner, qwen-plus, llama-3\.1-8b/);
    assert.equal((await chat(cli.url, 'qwen-plus')).status, 200);
    const refused = await chat(cli.url, 'gpt-4o-mini');
    assert.equal(refused.status, 404);
    assert.equal(JSON.parse(refused.body.toString()).error.code, 'model_not_found');
    const list = JSON.parse((await rawRequest(`${cli.url}/v1/models`)).body.toString());
    assert.deepEqual(list.data.map((m: { id: string }) => m.id), ['mock-gpt', 'mock-reasoner', 'qwen-plus', 'llama-3.1-8b']);
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(cli.output(), /^(POST|GET) /m);
    cli.npm.kill('SIGTERM');
    await cli.exited;
    await until(() => !alive(cli.pid), `the serving process ${cli.pid} exits`);
  });
});

describe('access log', () => {
  for (const viaMsw of [false, true]) {
    test(`${viaMsw ? 'via msw' : 'direct'}: method, path without query, status, scenario or synth, error code, fault, duration`, async () => {
      let text = '';
      const server = await startMockServer({ port: 0, speed: 0, quiet: true, accessLog: true, viaMsw, models: [], logTo: (t) => (text += t) });
      try {
        await chat(server.url, 'mock-gpt');
        await chat(server.url, 'gpt-4o-mini');
        await chat(server.url, 'mock-gpt', { 'x-mock-scenario': 'text-basic' });
        await chat(server.url, 'mock-gpt', { 'x-mock-fault': 'drop-after:1' });
        await until(() => text.split('\n').filter(Boolean).length === 4, 'four lines');
        const lines = text.trim().split('\n');
        assert.match(lines[0], /^POST \/v1\/chat\/completions 200 synth \d+ ms$/);
        assert.match(lines[1], /^POST \/v1\/chat\/completions 404 error \(model_not_found\) \d+ ms$/);
        assert.match(lines[2], /^POST \/v1\/chat\/completions 200 text-basic \d+ ms$/);
        assert.match(lines[3], /^POST \/v1\/chat\/completions 200 synth fault=drop-after:1 \[reset\] \d+ ms$/);
        assert.ok(!text.includes(KEY) && !text.includes('api-key'));
      } finally {
        await server.close();
      }
    });
  }
});
