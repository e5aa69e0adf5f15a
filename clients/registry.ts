// The clients the harness runs. Each is a real, independent program (its own process) that uses its
// library or its language's standard library; the harness only hands it jobs and reads its lines.
//
// Two ways to run a client (see clients/README.md, "Add your own client"):
// - batch:  one process for all scenarios; env OAI_BASE_URL / OAI_API_KEY; stdin JSON Lines
//           {"scenario", "request"}; stdout one JSON line per job, each with its "scenario".
// - single: one process per scenario; argv BASE_URL SCENARIO; stdin the request body; stdout one line.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Capability } from './compare.ts';

export const CLIENTS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = path.resolve(CLIENTS_DIR, '..');

export interface Command {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
}

export interface ClientSpec {
  name: string;
  language: string;
  /** one sentence: which library, which calls */
  description: string;
  kind: 'batch' | 'single';
  /** what the client supports (see compare.ts); missing request features make a scenario SKIP */
  capabilities: Capability[];
  /** the command; for `single` clients the harness appends BASE_URL and SCENARIO */
  command(): Command;
  /** undefined when the client can run here, else why not (every scenario is then SKIP) */
  unavailable(): string | undefined;
  /** the library / runtime versions, e.g. "openai 7.59.0 (Node v24.22.3)" */
  version(): string;
  /** per-process time limit (batch: for all scenarios) */
  timeoutMs: number;
}

function packageVersion(name: string): string {
  try {
    const file = path.join(REPO_DIR, 'node_modules', ...name.split('/'), 'package.json');
    return String(JSON.parse(readFileSync(file, 'utf8')).version);
  } catch {
    return '?';
  }
}

/** First line of a command's output (stdout or stderr), or undefined when it cannot run. */
function probe(cmd: string, args: string[], env?: Record<string, string>): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15_000, env: { ...process.env, ...env } });
  if (r.error || r.status !== 0) return undefined;
  const text = `${r.stdout}\n${r.stderr}`.trim();
  return text.split('\n')[0]?.trim();
}

function nodeClient(file: string, extraArgs: string[] = []): Command {
  return { cmd: process.execPath, args: ['--import', 'tsx', path.join(CLIENTS_DIR, 'node', file), ...extraArgs] };
}

const NODE_ALL: Capability[] = ['stream', 'non-stream', 'n', 'tools', 'reasoning', 'refusal', 'usage', 'tool-call-ids'];

/** Interpreters tried for the Python clients that need a library: the first on PATH, then Debian's. */
const PYTHONS = ['python3', '/usr/bin/python3'];

const pythons = new Map<string, string | undefined>();

/** The first Python 3 that imports `module` (the other Python clients need none), or undefined. */
function pythonWith(module: string): string | undefined {
  if (!pythons.has(module)) pythons.set(module, PYTHONS.find((python) => probe(python, ['-c', `import ${module}`]) !== undefined));
  return pythons.get(module);
}

function pythonClient(name: string, module: string, file: string, description: string): ClientSpec {
  return {
    name,
    language: 'Python 3',
    description,
    kind: 'batch',
    capabilities: NODE_ALL,
    command: () => ({ cmd: pythonWith(module)!, args: ['-X', 'utf8', path.join(CLIENTS_DIR, 'python', file)] }),
    unavailable: () => (pythonWith(module) ? undefined : `no Python 3 with ${module} (tried ${PYTHONS.join(', ')}; Debian: apt-get install python3-${module})`),
    version: () => {
      const python = pythonWith(module)!;
      const lib = probe(python, ['-c', `import ${module}; print(${module}.__version__)`]) ?? '?';
      return `${module} ${lib} (${probe(python, ['--version']) ?? 'python3 ?'}, ${python})`;
    },
    timeoutMs: 120_000,
  };
}

/** GOCACHE: the caller's, or Go's default when HOME is writable, else a directory under the temp dir. */
/** The Go client: every .go file of clients/go, one package main, run together. */
function goFiles(): string[] {
  const dir = path.join(CLIENTS_DIR, 'go');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .sort()
    .map((f) => path.join(dir, f));
}

function goEnv(): Record<string, string> {
  const env: Record<string, string> = { GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '', GO111MODULE: 'on' };
  if (!process.env.GOCACHE) {
    let homeOk = false;
    try {
      if (process.env.HOME) {
        accessSync(process.env.HOME, constants.W_OK);
        homeOk = true;
      }
    } catch {
      /* not writable */
    }
    if (!homeOk) env.GOCACHE = path.join(os.tmpdir(), 'oai-compat-go-cache');
  }
  return env;
}

export const CLIENTS: ClientSpec[] = [
  ...(['openai', 'openai-v6'] as const).flatMap((sdk): ClientSpec[] => {
    const suffix = sdk === 'openai' ? '' : '-v6';
    const version = () => `openai ${packageVersion(sdk)} (Node ${process.version})`;
    return [
      {
        name: `openai-node${suffix}`,
        language: 'TypeScript (Node)',
        description: `official openai SDK${suffix ? ', previous major' : ''}: chat.completions.create(), stream chunks assembled by the program; APIError → status/type/code`,
        kind: 'batch',
        capabilities: NODE_ALL,
        command: () => nodeClient('openai-sdk.ts', [`--sdk=${sdk}`]),
        unavailable: () => undefined,
        version,
        timeoutMs: 120_000,
      },
      {
        name: `openai-node-helper${suffix}`,
        language: 'TypeScript (Node)',
        description: `official openai SDK's stream helper${suffix ? ' (previous major)' : ''}: chat.completions.stream() + finalChatCompletion() (streams only)`,
        kind: 'batch',
        capabilities: NODE_ALL.filter((c) => c !== 'non-stream'),
        command: () => nodeClient('openai-sdk.ts', ['--mode=helper', `--sdk=${sdk}`]),
        unavailable: () => undefined,
        version,
        timeoutMs: 120_000,
      },
    ];
  }),
  {
    name: 'vercel-ai',
    language: 'TypeScript (Node)',
    description: 'Vercel AI SDK: generateText/streamText with createOpenAICompatible; tools without execute; rawFinishReason',
    kind: 'batch',
    // no `n` in the AI SDK; refusal: the provider has no refusal field (it turns a refusal into text)
    capabilities: ['stream', 'non-stream', 'tools', 'reasoning', 'refusal', 'usage', 'tool-call-ids'],
    command: () => nodeClient('vercel-ai.ts'),
    unavailable: () => undefined,
    version: () => `ai ${packageVersion('ai')}, @ai-sdk/openai-compatible ${packageVersion('@ai-sdk/openai-compatible')} (Node ${process.version})`,
    timeoutMs: 120_000,
  },
  {
    name: 'langchain-js',
    language: 'TypeScript (Node)',
    description: 'LangChain JS: ChatOpenAI (configuration.baseURL) invoke()/generate()/stream(), tool_calls, usage_metadata',
    kind: 'batch',
    capabilities: NODE_ALL,
    command: () => nodeClient('langchain.ts'),
    unavailable: () => undefined,
    version: () =>
      `@langchain/openai ${packageVersion('@langchain/openai')}, @langchain/core ${packageVersion('@langchain/core')} (Node ${process.version})`,
    timeoutMs: 120_000,
  },
  {
    name: 'curl-sh',
    language: 'POSIX sh + awk',
    description: 'curl -N with headers, a line-by-line SSE reader and a JSON parser in awk (no jq)',
    kind: 'single',
    capabilities: NODE_ALL,
    command: () => ({ cmd: 'sh', args: [path.join(CLIENTS_DIR, 'shell', 'client.sh')] }),
    unavailable: () => (probe('curl', ['--version']) ? (probe('awk', ['BEGIN { print 1 }']) ? undefined : 'awk is not installed') : 'curl is not installed'),
    version: () => {
      const curl = probe('curl', ['--version'])?.split(' ').slice(0, 2).join(' ') ?? 'curl ?';
      const awk = probe('awk', ['-W', 'version']) ?? probe('awk', ['--version']) ?? 'awk';
      return `${curl}, ${awk.replace(/,.*$/, '').slice(0, 40)}`;
    },
    timeoutMs: 40_000,
  },
  {
    name: 'python-stdlib',
    language: 'Python 3',
    description: 'urllib.request, read1() + incremental UTF-8 decoder, own SSE line splitter, json',
    kind: 'batch',
    capabilities: NODE_ALL,
    command: () => ({ cmd: 'python3', args: ['-X', 'utf8', path.join(CLIENTS_DIR, 'python', 'client.py')] }),
    unavailable: () => (probe('python3', ['--version']) ? undefined : 'python3 is not installed'),
    version: () => probe('python3', ['--version']) ?? 'python3 ?',
    timeoutMs: 120_000,
  },
  pythonClient(
    'python-httpx',
    'httpx',
    'httpx_client.py',
    'httpx.AsyncClient: client.stream() + aiter_lines(), each "data: " line parsed as an event; retries: AsyncHTTPTransport(retries=2)',
  ),
  pythonClient(
    'python-requests',
    'requests',
    'requests_client.py',
    'requests: post(stream=True) + iter_lines(), each "data: " line parsed as an event; retries: urllib3 Retry(total=2, POST allowed, Retry-After)',
  ),
  {
    name: 'java-httpclient',
    language: 'Java 17',
    description: 'java.net.http HttpClient, BodyHandlers.ofInputStream, byte-level SSE lines, a minimal JSON parser (java Client.java)',
    kind: 'batch',
    capabilities: NODE_ALL,
    command: () => ({
      cmd: 'java',
      args: ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dfile.encoding=UTF-8', path.join(CLIENTS_DIR, 'java', 'Client.java')],
    }),
    unavailable: () => {
      const v = probe('java', ['-version']);
      if (!v) return 'java is not installed';
      const major = /version "(\d+)/.exec(v)?.[1];
      return major && Number(major) < 17 ? `Java ${major} is too old (17 or later)` : undefined;
    },
    version: () => probe('java', ['-version']) ?? 'java ?',
    timeoutMs: 120_000,
  },
  {
    name: 'go-stdlib',
    language: 'Go',
    description: 'net/http, bufio.Scanner with an SSE line splitter, encoding/json (go run client.go wire.go assemble.go)',
    kind: 'batch',
    capabilities: NODE_ALL,
    command: () => ({ cmd: 'go', args: ['run', ...goFiles()], env: goEnv() }),
    unavailable: () => (probe('go', ['version'], goEnv()) ? undefined : 'go is not installed (Debian: apt-get install golang-go)'),
    version: () => probe('go', ['version'], goEnv())?.replace(/^go version /, '') ?? 'go ?',
    timeoutMs: 180_000,
  },
];

export function findClients(names?: string[]): ClientSpec[] {
  if (!names?.length) return CLIENTS;
  const unknown = names.filter((n) => !CLIENTS.some((c) => c.name === n));
  if (unknown.length) throw new Error(`unknown client(s): ${unknown.join(', ')} (known: ${CLIENTS.map((c) => c.name).join(', ')})`);
  return CLIENTS.filter((c) => names.includes(c.name));
}
