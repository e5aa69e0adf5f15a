// What a check sees: the run's configuration, the model in use, and `send`, which records every
// exchange as evidence and reuses identical protocol requests within a worker (each is sent once).
import { createHash } from 'node:crypto';
import type { RunConfig } from '../../lib/config.ts';
import { send, type Exchange, type RequestSpec } from './client.ts';

export interface CheckContext {
  config: RunConfig;
  /** the model under test (MODEL, the profile's, or the first of GET /models) */
  model: string;
  /** capability claim: true claimed, false not claimed, undefined probed */
  claims(capability: string): boolean | undefined;
  /** send a request; identical requests are answered from the worker's cache unless fresh is set */
  send(spec: RequestSpec, options?: { fresh?: boolean }): Promise<Exchange>;
  /** every exchange this check made, in order */
  exchanges: Exchange[];
}

const cache = new Map<string, Promise<Exchange>>();

/** The key's identity for the cache, never the key itself. */
function credential(apiKey: string | undefined): string {
  return apiKey ? createHash('sha256').update(apiKey).digest('hex').slice(0, 16) : '';
}

export function createContext(config: RunConfig, model: string): CheckContext {
  const exchanges: Exchange[] = [];
  return {
    config,
    model,
    exchanges,
    claims: (capability) => {
      if (capability === 'core' || capability === 'errors') return true;
      if (capability === 'auth') return config.profile.auth.style !== 'none';
      return config.profile.capabilities[capability];
    },
    async send(spec, options = {}) {
      const key = JSON.stringify([config.baseUrl, config.extraHeaders, config.profile.auth, credential(config.apiKey), model, spec]);
      let pending = options.fresh ? undefined : cache.get(key);
      if (!pending) {
        pending = send(config, spec, model);
        // Failed exchanges are not cached: the next check deserves its own attempt.
        if (!options.fresh) {
          cache.set(key, pending);
          pending.then((x) => {
            if (x.status === 0 || x.error) cache.delete(key);
          });
        }
      }
      const exchange = await pending;
      exchanges.push(exchange);
      return exchange;
    },
  };
}

let modelPromise: Promise<string> | undefined;

/** MODEL / the profile's model, else the first id of GET /models, else "gpt-4o-mini". */
export function resolveModel(config: RunConfig): Promise<string> {
  if (config.model) return Promise.resolve(config.model);
  modelPromise ??= send(config, { method: 'GET', path: '/models' }, undefined).then((x) => {
    const first = (x.json as any)?.data?.[0]?.id;
    return typeof first === 'string' ? first : 'gpt-4o-mini';
  });
  return modelPromise;
}
