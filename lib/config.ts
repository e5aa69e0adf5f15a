// The one config loader: environment variables plus an optional capability profile (YAML), and the
// checks of the user's input that the preflight runs before any check (each failure is a ConfigError
// whose message is the one line the user sees).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, YAMLParseError } from 'yaml';
import { redactUrl, registerSecret } from './redact.ts';
import { validateProfileDocument, type ProfileIssue } from './validate.ts';

export type AuthStyle = 'bearer' | 'azure' | 'none';

export interface Profile {
  name: string;
  auth: { style: AuthStyle; apiVersion?: string };
  model?: string;
  /** a model that reasons, for the reasoning checks (REASONING_MODEL overrides) */
  reasoningModel?: string;
  /** the model's context size in tokens (profile `context-window`), for the checks that reach past it */
  contextWindow?: number;
  /** true: claimed and checked; false: not claimed (must be refused cleanly); absent: probed */
  capabilities: Record<string, boolean | undefined>;
  timeouts: {
    /** ms for one request, headers to the end of the body */
    request: number;
    /** ms without any byte before a stream counts as stalled */
    idle: number;
    /** ms for one whole check (all its requests) */
    check: number;
  };
  expectedFailures: { id: string; reason: string }[];
}

export interface RunConfig {
  /** where /chat/completions lives, without a trailing slash */
  baseUrl: string;
  apiKey?: string;
  /** MODEL env, else the profile's model; the suite falls back to the first id of GET /models */
  model?: string;
  /** REASONING_MODEL env, else the profile's reasoning-model: the reasoning checks use it */
  reasoningModel?: string;
  profile: Profile;
  profilePath?: string;
  /** runs of each check that depends on the model's choices */
  repeat: number;
  reportDir: string;
  /** the target is the embedded mock server */
  mock: boolean;
  /** extra headers on every request (e.g. x-mock-fault for the fault matrix) */
  extraHeaders: Record<string, string>;
  /** the largest body (MB) the suite reads and judges (OAI_COMPAT_MAX_BODY_MB; default DEFAULT_MAX_BODY_MB) */
  maxBodyMb?: number;
}

/** A problem with what the user gave (a flag, a variable, a profile): its message is shown as is. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_TIMEOUTS = { request: 30_000, idle: 15_000, check: 60_000 };

/** The largest body the suite reads into memory and judges, in MB: a bigger one is reported as such. */
export const DEFAULT_MAX_BODY_MB = 128;

/** The example profiles shipped with the suite (suites/profiles/NAME.yaml), usable by name. */
export const BUNDLED_PROFILES_DIR = fileURLToPath(new URL('../suites/profiles/', import.meta.url));

export function defaultProfile(): Profile {
  return {
    name: 'default (every capability probed)',
    auth: { style: 'bearer' },
    capabilities: {},
    timeouts: { ...DEFAULT_TIMEOUTS },
    expectedFailures: [],
  };
}

/** Parse and validate a profile document (schemas/profile.schema.json); every problem is a ConfigError. */
export function parseProfile(text: string, source = 'profile'): Profile {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0].replace(/:$/, '') : (error as Error).message;
    throw new ConfigError(`profile ${source} is not valid YAML: ${detail}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ConfigError(`profile ${source} must be a YAML mapping (name:, auth:, capabilities:, ...), not ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  }
  const issues = validateProfileDocument(doc);
  if (issues.length > 0) throw new ConfigError(`profile ${source}: ${describeProfileIssues(issues)}`);
  const d = doc as Record<string, any>;
  const profile = defaultProfile();
  profile.name = typeof d.name === 'string' ? d.name : path.basename(source).replace(/\.ya?ml$/, '');
  if (d.auth) profile.auth = { style: d.auth.style ?? 'bearer', ...(d.auth['api-version'] ? { apiVersion: String(d.auth['api-version']) } : {}) };
  if (d.model) profile.model = d.model;
  if (d['reasoning-model']) profile.reasoningModel = d['reasoning-model'];
  if (d['context-window']) profile.contextWindow = d['context-window'];
  Object.assign(profile.capabilities, d.capabilities ?? {});
  Object.assign(profile.timeouts, d.timeouts ?? {});
  profile.expectedFailures = (d['expected-failures'] ?? []).map((e: { id: string; reason: string }) => ({ id: e.id, reason: e.reason }));
  return profile;
}

const PROFILE_SCHEMA = JSON.parse(readFileSync(new URL('../schemas/profile.schema.json', import.meta.url), 'utf8'));

/** Schema issues as one sentence a person can act on: which key, what is wrong, what was meant. */
function describeProfileIssues(issues: ProfileIssue[]): string {
  const lines = issues.map((issue) => {
    const where = issue.path.replace(/^\//, '').replaceAll('/', '.');
    if (issue.keyword === 'additionalProperties') {
      const key = String(issue.params.additionalProperty);
      const known = knownKeysAt(issue.path);
      const hint = closest(key, known);
      const what = { '': 'key', '/capabilities': 'capability', '/timeouts': 'timeout', '/auth': 'auth key' }[issue.path] ?? `key in ${where}`;
      return `unknown ${what} "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known.join(', ')}`;
    }
    if (issue.keyword === 'type' && issue.path.startsWith('/capabilities/')) return `${where} must be true or false`;
    if (issue.keyword === 'enum') return `${where} must be one of: ${(issue.params.allowedValues as string[]).join(', ')}`;
    if (issue.keyword === 'exclusiveMinimum') return `${where} must be a positive number of ms`;
    if (issue.keyword === 'required') return `${where || '(top level)'} needs "${String(issue.params.missingProperty)}"`;
    return `${where || '(top level)'} ${issue.message}`;
  });
  return [...new Set(lines)].join('; ');
}

function knownKeysAt(pointer: string): string[] {
  let node = PROFILE_SCHEMA;
  for (const part of pointer.split('/').filter(Boolean)) node = /^\d+$/.test(part) ? node?.items : node?.properties?.[part];
  return Object.keys(node?.properties ?? {});
}

/** The known word nearest to `word` (at most two edits away), for "did you mean". */
function closest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? previous[j - 2] + 1 : Infinity;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), swap);
    }
    previous = row;
  }
  return previous[b.length];
}

/** Names of the bundled example profiles (azure, vllm, ...). */
export function bundledProfiles(): string[] {
  try {
    return readdirSync(BUNDLED_PROFILES_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** A profile argument as a file: a path as given, else the name of a bundled profile ("vllm"). */
export function resolveProfilePath(value: string): string {
  if (existsSync(value)) {
    if (statSync(value).isDirectory()) throw new ConfigError(`profile ${value} is a folder; give a YAML file, e.g. suites/profiles/vllm.yaml`);
    return value;
  }
  const bundled = path.join(BUNDLED_PROFILES_DIR, `${value}.yaml`);
  if (/^[\w.-]+$/.test(value) && existsSync(bundled)) return bundled;
  const names = bundledProfiles();
  throw new ConfigError(`profile ${value} not found (looked for ${path.resolve(value)})${names.length ? `; bundled profiles, usable by name: ${names.join(', ')}` : ''}`);
}

export function loadProfile(file: string): Profile {
  return parseProfile(readFileSync(file, 'utf8'), file);
}

/**
 * BASE_URL as the suite uses it (no trailing slash), or a ConfigError saying what a valid one looks
 * like. `localhost:8000/v1` parses as a URL with the scheme "localhost:", so the scheme is checked too.
 */
export function checkBaseUrl(text: string): string {
  const example = 'https://api.example.com/v1 or http://localhost:8000/v1';
  const trimmed = text.trim();
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  // Shown without credentials even when it does not parse (redactUrl needs a URL to find them).
  const shown = redactUrl(trimmed).replace(/\/\/[^/@\s]*@/, '//');
  const schemeLess = !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  if (schemeLess) {
    const guess = !/^https?/i.test(trimmed) && /^[\w.-]+(:\d+)?(\/|$)/.test(trimmed) ? ` (did you mean http://${shown} or https://${shown}?)` : '';
    return fail(`BASE_URL "${shown}" is not a URL with a scheme${guess}; a valid one looks like ${example}`);
  }
  if (!url) return fail(`BASE_URL "${shown}" does not parse as a URL; a valid one looks like ${example}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`BASE_URL "${shown}" must start with http:// or https:// (got ${url.protocol}//); e.g. ${example}`);
  if (!url.hostname) fail(`BASE_URL "${shown}" has no host; e.g. ${example}`);
  if (/\/chat\/completions\/?$/.test(url.pathname)) {
    fail(`BASE_URL "${shown}" ends with /chat/completions; give the base the SDKs take, where /chat/completions lives: ${shown.replace(/\/chat\/completions\/?(?=$|\?)/, '')}`);
  }
  return trimmed.replace(/\/+$/, '');

  function fail(message: string): never {
    throw new ConfigError(message);
  }
}

/** The variable the key comes from: API_KEY, else OPENAI_API_KEY (the one that is set). */
function keyVariable(env: NodeJS.ProcessEnv): string | undefined {
  if (env.API_KEY !== undefined) return 'API_KEY';
  if (env.OPENAI_API_KEY !== undefined) return 'OPENAI_API_KEY';
  return undefined;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): void {
  const value = env[name];
  if (value === undefined || value === '') return;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new ConfigError(`${name} must be a whole number of at least 1 (got "${value}")`);
}

/**
 * Everything the run's configuration needs that can be checked without the network: BASE_URL, the
 * key variable, REPEAT and WORKERS, the profile. Throws the first problem as a ConfigError.
 */
export function checkRunInputs(env: NodeJS.ProcessEnv = process.env): void {
  if (env.BASE_URL) checkBaseUrl(env.BASE_URL);
  const keyVar = keyVariable(env);
  if (keyVar) {
    const key = env[keyVar]!;
    if (key === '') throw new ConfigError(`${keyVar} is set but empty: unset it to test without a key, or set it to the endpoint's key`);
    if (key.trim() !== key) throw new ConfigError(`${keyVar} has leading or trailing whitespace (a newline from a file?): remove it`);
  }
  positiveInteger(env, 'REPEAT');
  positiveInteger(env, 'WORKERS');
  positiveInteger(env, 'OAI_COMPAT_MAX_BODY_MB');
  if (env.PROFILE) loadProfile(resolveProfilePath(env.PROFILE));
}

/** Build the run's configuration from the environment (BASE_URL, API_KEY, MODEL, PROFILE, REPEAT, REPORT_DIR). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const profilePath = env.PROFILE ? resolveProfilePath(env.PROFILE) : undefined;
  const profile = profilePath ? loadProfile(profilePath) : defaultProfile();
  const mock = env.OAI_COMPAT_MOCK === '1';
  if (mock) {
    // The embedded mock answers in milliseconds: fail fast on a hang.
    profile.timeouts = {
      request: Math.min(profile.timeouts.request, 5_000),
      idle: Math.min(profile.timeouts.idle, 3_000),
      check: Math.min(profile.timeouts.check, 20_000),
    };
  }
  const baseUrl = (env.BASE_URL ?? '').trim().replace(/\/+$/, '');
  const apiKey = env.API_KEY || env.OPENAI_API_KEY || undefined;
  registerSecret(apiKey);
  const repeat = Number.parseInt(env.REPEAT ?? '1', 10);
  const extraHeaders: Record<string, string> = {};
  if (env.OAI_COMPAT_EXTRA_HEADERS) Object.assign(extraHeaders, JSON.parse(env.OAI_COMPAT_EXTRA_HEADERS));
  return {
    baseUrl,
    apiKey,
    model: env.MODEL || profile.model,
    reasoningModel: env.REASONING_MODEL || profile.reasoningModel,
    profile,
    profilePath: env.PROFILE || undefined,
    repeat: Number.isFinite(repeat) && repeat > 0 ? repeat : 1,
    reportDir: env.REPORT_DIR || 'reports',
    mock,
    extraHeaders,
    maxBodyMb: Number(env.OAI_COMPAT_MAX_BODY_MB) > 0 ? Number(env.OAI_COMPAT_MAX_BODY_MB) : DEFAULT_MAX_BODY_MB,
  };
}

/** REPORT_DIR as an absolute path (relative to the current directory; default reports/). */
export function reportDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.REPORT_DIR || 'reports');
}

/** WORKERS as Playwright takes it (invalid values are reported by the preflight, not here). */
export function workersFromEnv(env: NodeJS.ProcessEnv = process.env, fallback = 2): number {
  const n = Number(env.WORKERS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The base URL as it may be shown anywhere: no credentials, no secret query parameters. */
export function displayBaseUrl(config: RunConfig): string {
  return redactUrl(config.baseUrl);
}
