// What a check sees: the run's configuration, the model in use, and `send`, which records every
// exchange as evidence and reuses identical protocol requests (each is sent once per run).
import { createHash } from 'node:crypto';
import type { RunConfig } from '../../lib/config.ts';
import { send, type Exchange, type RequestSpec } from './client.ts';
import { cachedExchange } from './exchange-cache.ts';

/** Who a check is, as far as shared requests are concerned. */
export interface CheckRef {
  id: string;
  capability: string;
}

export interface CheckContext {
  config: RunConfig;
  /** the model under test (MODEL, the profile's, or the first of GET /models) */
  model: string;
  /** the check being run */
  checkId?: string;
  /** the check that judges a shared request when it fails (see gates.prerequisiteFailed); undefined for a check's own requests */
  ownerOf(x: Exchange): CheckRef | undefined;
  /** capability claim: true claimed, false not claimed, undefined probed */
  claims(capability: string): boolean | undefined;
  /** send a request; identical requests are answered from the run's cache unless fresh is set */
  send(spec: RequestSpec, options?: { fresh?: boolean }): Promise<Exchange>;
  /** every exchange this check made, in order */
  exchanges: Exchange[];
}

/** The key's identity for the cache, never the key itself. */
function credential(apiKey: string | undefined): string {
  return apiKey ? createHash('sha256').update(apiKey).digest('hex').slice(0, 16) : '';
}

/** The key under which checks share a request: the request as the check wrote it. */
export function requestKey(spec: RequestSpec): string {
  return JSON.stringify(spec);
}

/**
 * `owners` maps a request key to the check that judges that request when it fails (the suite's
 * first MUST check sending it); requests sent `fresh` belong to the check that sent them.
 */
export function createContext(config: RunConfig, model: string, check?: CheckRef, owners: Map<string, CheckRef> = new Map()): CheckContext {
  const exchanges: Exchange[] = [];
  const shared = new WeakMap<Exchange, string>();
  return {
    config,
    model,
    checkId: check?.id,
    exchanges,
    claims: (capability) => claims(config, capability),
    ownerOf: (x) => {
      const key = shared.get(x);
      return key === undefined ? undefined : owners.get(key);
    },
    async send(spec, options = {}) {
      const key = JSON.stringify([config.baseUrl, config.extraHeaders, config.profile.auth, credential(config.apiKey), model, spec]);
      const pending = options.fresh ? send(config, spec, model) : cachedExchange(key, () => send(config, spec, model));
      const exchange = await pending;
      if (!options.fresh) shared.set(exchange, requestKey(spec));
      exchanges.push(exchange);
      return exchange;
    },
  };
}

/**
 * The one rule for claims: core and errors are always claimed; auth is claimed by the profile
 * (`capabilities.auth`), and `auth.style: none` says there is none; every other capability is what
 * the profile says (true, false, or undefined: probed).
 */
export function claims(config: RunConfig, capability: string): boolean | undefined {
  if (capability === 'core' || capability === 'errors') return true;
  if (capability === 'auth' && config.profile.auth.style === 'none') return false;
  return config.profile.capabilities[capability];
}

let modelPromise: Promise<string> | undefined;

/**
 * MODEL / the profile's model, else the model the run's global setup resolved once for every worker
 * (OAI_COMPAT_RESOLVED_MODEL), else (outside a Playwright run) the first id of GET /models, else "gpt-4o-mini".
 */
export function resolveModel(config: RunConfig, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (config.model) return Promise.resolve(config.model);
  if (env.OAI_COMPAT_RESOLVED_MODEL) return Promise.resolve(env.OAI_COMPAT_RESOLVED_MODEL);
  const key = JSON.stringify(['resolve-model', config.baseUrl, config.extraHeaders, config.profile.auth, credential(config.apiKey)]);
  modelPromise ??= cachedExchange(key, () => send(config, { method: 'GET', path: '/models' }, undefined)).then((x) => {
    const first = (x.json as any)?.data?.[0]?.id;
    return typeof first === 'string' ? first : 'gpt-4o-mini';
  });
  return modelPromise;
}
