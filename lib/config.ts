// The one config loader: environment variables plus an optional capability profile (YAML).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { redactUrl, registerSecret } from './redact.ts';

export type AuthStyle = 'bearer' | 'azure' | 'none';

export interface Profile {
  name: string;
  auth: { style: AuthStyle; apiVersion?: string };
  model?: string;
  /** a model that reasons, for the reasoning checks (REASONING_MODEL overrides) */
  reasoningModel?: string;
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
}

export const DEFAULT_TIMEOUTS = { request: 30_000, idle: 15_000, check: 60_000 };

export function defaultProfile(): Profile {
  return {
    name: 'default (every capability probed)',
    auth: { style: 'bearer' },
    capabilities: {},
    timeouts: { ...DEFAULT_TIMEOUTS },
    expectedFailures: [],
  };
}

/** Parse a profile document; unknown keys are an error so that typos do not silently pass. */
export function parseProfile(text: string, source = 'profile'): Profile {
  const doc = (parse(text) ?? {}) as Record<string, any>;
  const known = new Set(['name', 'auth', 'model', 'reasoning-model', 'capabilities', 'timeouts', 'expected-failures', 'description']);
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) throw new Error(`${source}: unknown key "${key}" (known: ${[...known].join(', ')})`);
  }
  const profile = defaultProfile();
  profile.name = typeof doc.name === 'string' ? doc.name : path.basename(source, '.yaml');
  if (doc.auth !== undefined) {
    const style = doc.auth?.style ?? 'bearer';
    if (!['bearer', 'azure', 'none'].includes(style)) throw new Error(`${source}: auth.style must be bearer, azure or none`);
    profile.auth = { style, ...(doc.auth?.['api-version'] || doc.auth?.apiVersion ? { apiVersion: String(doc.auth['api-version'] ?? doc.auth.apiVersion) } : {}) };
  }
  if (typeof doc.model === 'string') profile.model = doc.model;
  if (typeof doc['reasoning-model'] === 'string') profile.reasoningModel = doc['reasoning-model'];
  if (doc.capabilities !== undefined) {
    if (typeof doc.capabilities !== 'object' || Array.isArray(doc.capabilities)) throw new Error(`${source}: capabilities must be a map`);
    for (const [k, v] of Object.entries(doc.capabilities)) {
      if (typeof v !== 'boolean') throw new Error(`${source}: capabilities.${k} must be true or false`);
      profile.capabilities[k] = v;
    }
  }
  if (doc.timeouts !== undefined) {
    for (const [k, v] of Object.entries(doc.timeouts as Record<string, unknown>)) {
      if (!(k in profile.timeouts)) throw new Error(`${source}: unknown timeout "${k}" (request, idle, check)`);
      if (typeof v !== 'number' || v <= 0) throw new Error(`${source}: timeouts.${k} must be a positive number of ms`);
      (profile.timeouts as Record<string, number>)[k] = v;
    }
  }
  if (doc['expected-failures'] !== undefined) {
    if (!Array.isArray(doc['expected-failures'])) throw new Error(`${source}: expected-failures must be a list`);
    profile.expectedFailures = doc['expected-failures'].map((e: any, i: number) => {
      if (typeof e?.id !== 'string' || typeof e?.reason !== 'string') {
        throw new Error(`${source}: expected-failures[${i}] needs an id and a reason`);
      }
      return { id: e.id, reason: e.reason };
    });
  }
  return profile;
}

export function loadProfile(file: string): Profile {
  return parseProfile(readFileSync(file, 'utf8'), file);
}

/** Build the run's configuration from the environment (BASE_URL, API_KEY, MODEL, PROFILE, REPEAT, REPORT_DIR). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const profilePath = env.PROFILE || undefined;
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
  const baseUrl = (env.BASE_URL ?? '').replace(/\/+$/, '');
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
    profilePath,
    repeat: Number.isFinite(repeat) && repeat > 0 ? repeat : 1,
    reportDir: env.REPORT_DIR || 'reports',
    mock,
    extraHeaders,
  };
}

/** The base URL as it may be shown anywhere: no credentials, no secret query parameters. */
export function displayBaseUrl(config: RunConfig): string {
  return redactUrl(config.baseUrl);
}
