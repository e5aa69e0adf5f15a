// The preflight: two requests, in seconds, before any check runs, so that an endpoint the suite cannot
// judge (nothing listening, DNS or TLS failure, a refused key, a model it does not serve, no model at
// all) is reported once, clearly, instead of as a hundred FAILs. It also resolves the model once per
// run (MODEL, the profile's, else the first id of GET /models) for every worker to share.
import { ConfigError, DEFAULT_MAX_BODY_MB, displayBaseUrl, type RunConfig } from '../../lib/config.ts';
import { redactText } from '../../lib/redact.ts';
import { describeNetworkError } from '../../lib/sse.ts';
import { authHeaders, buildUrl } from './client.ts';

export interface Preflight {
  /** the model every check uses */
  model: string;
}

interface Answer {
  status: number;
  json?: any;
  text: string;
}

/** Check that the endpoint can be judged; throws a ConfigError (exit 2) saying why not. */
export async function preflight(config: RunConfig): Promise<Preflight> {
  const list = await request(config, 'GET', '/models');
  const models = Array.isArray(list.json?.data) ? list.json.data.map((m: any) => m?.id).filter((id: unknown): id is string => typeof id === 'string' && id !== '') : undefined;
  const model = config.model ?? models?.[0];
  if (!model) {
    // Some gateways guard /models apart from chat; with a model given, the chat request decides.
    refusedKey(config, list, 'GET /models');
    const why = models ? 'it lists no model' : `it answered HTTP ${list.status}${errorText(list) ? ` (${errorText(list)})` : ''}`;
    throw new ConfigError(`no model to test: MODEL is not set, the profile names none, and GET ${displayBaseUrl(config)}/models cannot say (${why}). Set MODEL (--model)`);
  }
  // The smallest chat request that says whether the key and the model are accepted: streamed, so that
  // the status arrives before any generation, and abandoned once it has.
  const chat = await request(config, 'POST', '/chat/completions', { model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, stream: true });
  refusedKey(config, chat, 'POST /chat/completions');
  if (modelNotServed(chat, model)) {
    const offered = models?.length ? `GET /models offers: ${models.slice(0, 20).join(', ')}${models.length > 20 ? `, … (${models.length})` : ''}` : 'GET /models lists none';
    throw new ConfigError(`the endpoint does not serve the model "${model}" (HTTP ${chat.status}${errorText(chat) ? `: ${errorText(chat)}` : ''}); ${offered}. Set MODEL (--model)`);
  }
  if (chat.status === 404 && (list.status === 404 || !models)) {
    throw new ConfigError(`nothing answers at ${displayBaseUrl(config)}/chat/completions (HTTP 404): BASE_URL must be where /chat/completions lives, often ending in /v1`);
  }
  return { model };
}

async function request(config: RunConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const url = buildUrl(config, path);
  const limitMs = config.profile.timeouts.request;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limitMs);
  try {
    const response = await fetch(url, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), accept: 'application/json', ...config.extraHeaders, ...authHeaders(config) },
      body: body ? JSON.stringify(body) : undefined,
      signal: controller.signal,
      redirect: 'manual',
    });
    // The model list is read whole (up to the suite's body limit); a refusal's body is small; a
    // chat answer's is not needed (the stream is abandoned here).
    const limit = method === 'GET' ? (config.maxBodyMb ?? DEFAULT_MAX_BODY_MB) * 1024 * 1024 : 64 * 1024;
    const text = response.ok && method === 'POST' ? '' : await readSome(response, limit);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  } catch (error) {
    if (controller.signal.aborted) {
      throw new ConfigError(`no answer from ${displayBaseUrl(config)} within ${limitMs / 1000} s (${method} ${path}); a slow endpoint needs a longer timeouts.request in its profile`);
    }
    throw new ConfigError(unreachable(config, error));
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function readSome(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size <= max) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
  }
  reader.cancel().catch(() => {});
  return Buffer.concat(parts).toString('utf8');
}

function refusedKey(config: RunConfig, answer: Answer, what: string): void {
  if (answer.status !== 401 && answer.status !== 403) return;
  const detail = `HTTP ${answer.status} on ${what}${errorText(answer) ? `: ${errorText(answer)}` : ''}`;
  if (config.profile.auth.style === 'none') {
    throw new ConfigError(`the endpoint refused a request without a key (${detail}), and the profile says auth: { style: none }: set API_KEY and an auth style`);
  }
  if (!config.apiKey) throw new ConfigError(`the endpoint wants a key (${detail}): set API_KEY (or --api-key-env NAME)`);
  throw new ConfigError(`the endpoint refused the key (${detail}); check API_KEY${config.profile.auth.style === 'azure' ? '' : ', and whether the endpoint wants another auth style (profile auth: { style: azure })'}`);
}

/** The error message of an OpenAI-shaped error body, else the start of the body. */
function errorText(answer: Answer): string {
  const message = answer.json?.error?.message ?? answer.json?.message ?? answer.json?.detail;
  const text = typeof message === 'string' ? message : answer.text.trim();
  return redactText(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/** Whether a refusal says the model is unknown (servers word it differently; 404 is the usual status). */
function modelNotServed(answer: Answer, model: string): boolean {
  if (answer.status < 400 || answer.status >= 500) return false;
  const error = answer.json?.error;
  if (error?.code === 'model_not_found' || error?.type === 'model_not_found') return true;
  const text = typeof error?.message === 'string' ? error.message : answer.text;
  if (/\bmodel\b.{0,80}\b(not found|does not exist|not exist|not served|unknown|not available)/i.test(text)) return true;
  if (/\b(unknown|no such|invalid) model\b/i.test(text)) return true;
  return answer.status === 404 && text.includes(model);
}

/** What went wrong at the network level, naming the host. */
function unreachable(config: RunConfig, error: unknown): string {
  const url = new URL(config.baseUrl);
  const host = url.hostname;
  const where = `${host}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code ?? '';
  const detail = describeNetworkError(error);
  const prefix = `cannot reach ${displayBaseUrl(config)}`;
  if (code === 'ECONNREFUSED') return `${prefix}: nothing is listening at ${where} (connection refused)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return `${prefix}: the host name ${host} does not resolve (DNS: ${code})`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `${prefix}: no connection to ${where} (timed out)`;
  if (cause?.message === 'bad port') return `${prefix}: port ${url.port} is one that fetch refuses to connect to (reserved for another protocol); use another port`;
  if (/CERT|SSL|TLS|EPROTO|ERR_SSL|self.signed|certificate/i.test(`${code} ${cause?.message ?? ''}`)) {
    // OpenSSL's messages end with "...:SSL routines:FUNCTION:REASON:FILE:LINE:": keep the reason.
    const reason = /SSL routines:[^:]*:([^:]+)/.exec(cause?.message ?? '')?.[1] ?? cause?.message ?? detail;
    const plain = /wrong version number|packet length too long|http request/i.test(reason) ? '; is it plain HTTP? then use http://' : '';
    return `${prefix}: the TLS handshake with ${where} failed: ${reason}${code ? ` (${code})` : ''}${plain}`;
  }
  return `${prefix}: ${detail}`;
}
