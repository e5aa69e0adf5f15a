// The command that re-runs one check, complete: the target, the model and the profile in front, the
// key as a variable reference ("$API_KEY", never its value), in the form the run was started with
// (`npx oai-compat test` or `npx playwright test` in a clone).
import type { RunConfig } from '../../lib/config.ts';
import { redactText, redactUrl } from '../../lib/redact.ts';
import { shellQuote } from '../../reports/theme.ts';

export interface RerunContext {
  launcher: 'oai-compat' | 'playwright';
  /** absent for the embedded mock (a re-run starts its own) */
  baseUrl?: string;
  model?: string;
  reasoningModel?: string;
  profile?: string;
  /** the variable holding the key, when the run sent one */
  keyEnv?: string;
  repeat?: number;
  /** the embedded mock's server-wide faults (MOCK_FAULT), so that a re-run sees the same server */
  mockFault?: string;
}

/** How this run was started and what it ran against, as a re-run needs it. */
export function rerunContext(config: RunConfig, model: string, env: NodeJS.ProcessEnv = process.env): RerunContext {
  const ctx: RerunContext = { launcher: env.OAI_COMPAT_CLI === '1' ? 'oai-compat' : 'playwright' };
  if (config.mock) {
    if (env.MODEL) ctx.model = env.MODEL;
    if (env.MOCK_FAULT) ctx.mockFault = env.MOCK_FAULT;
  } else {
    ctx.baseUrl = redactUrl(config.baseUrl);
    ctx.model = model;
    if (config.apiKey && config.profile.auth.style !== 'none') ctx.keyEnv = env.OAI_COMPAT_KEY_ENV || 'API_KEY';
  }
  if (env.REASONING_MODEL) ctx.reasoningModel = env.REASONING_MODEL;
  if (config.profilePath) ctx.profile = config.profilePath;
  if (config.repeat > 1) ctx.repeat = config.repeat;
  return ctx;
}

export function rerunCommand(id: string, ctx: RerunContext): string {
  const grep = shellQuote(`${id}:`);
  const q = (v: string) => shellQuote(redactText(v));
  if (ctx.launcher === 'oai-compat') {
    const env = [ctx.keyEnv === 'API_KEY' ? 'API_KEY="$API_KEY"' : '', ctx.reasoningModel ? `REASONING_MODEL=${q(ctx.reasoningModel)}` : '', ctx.mockFault ? `MOCK_FAULT=${q(ctx.mockFault)}` : ''];
    const flags = [
      ctx.baseUrl ? `--base-url ${q(ctx.baseUrl)}` : '',
      ctx.model ? `--model ${q(ctx.model)}` : '',
      ctx.profile ? `--profile ${q(ctx.profile)}` : '',
      ctx.repeat ? `--repeat ${ctx.repeat}` : '',
      ctx.keyEnv && ctx.keyEnv !== 'API_KEY' ? `--api-key-env ${ctx.keyEnv}` : '',
      `--grep ${grep}`,
    ];
    return [...env, 'npx oai-compat test', ...flags].filter(Boolean).join(' ');
  }
  const env = [
    ctx.baseUrl ? `BASE_URL=${q(ctx.baseUrl)}` : '',
    ctx.model ? `MODEL=${q(ctx.model)}` : '',
    ctx.reasoningModel ? `REASONING_MODEL=${q(ctx.reasoningModel)}` : '',
    ctx.profile ? `PROFILE=${q(ctx.profile)}` : '',
    ctx.repeat ? `REPEAT=${ctx.repeat}` : '',
    ctx.mockFault ? `MOCK_FAULT=${q(ctx.mockFault)}` : '',
    ctx.keyEnv ? `API_KEY="$${ctx.keyEnv}"` : '',
  ];
  return [...env, `npx playwright test -g ${grep}`].filter(Boolean).join(' ');
}
