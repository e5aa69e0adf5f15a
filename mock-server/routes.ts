// Routing: which endpoint a method and path name. Every API path also works without `/v1`;
// Azure OpenAI's deployment paths (`/openai/deployments/{deployment}/chat/completions?api-version=...`)
// are chat completions too.

export type RouteKind =
  | 'chat'
  | 'models'
  | 'model'
  | 'health'
  | 'admin-journal'
  | 'admin-fixtures'
  | 'admin-faults';

export interface Route {
  kind: RouteKind;
  /** `model`: the model id */
  id?: string;
  /** Azure: the deployment name */
  deployment?: string;
  /** the methods this path answers */
  allow: string[];
}

export type RouteResult =
  | { ok: true; route: Route }
  | { ok: false; status: 404 | 405; allow?: string[]; message: string };

const GET = ['GET', 'HEAD'];
const POST = ['POST'];

const FIXED: Record<string, { kind: RouteKind; allow: string[] }> = {
  '/chat/completions': { kind: 'chat', allow: POST },
  '/models': { kind: 'models', allow: GET },
  '/health': { kind: 'health', allow: GET },
  '/__mock/journal': { kind: 'admin-journal', allow: ['GET', 'HEAD', 'DELETE'] },
  '/__mock/fixtures': { kind: 'admin-fixtures', allow: GET },
  '/__mock/faults': { kind: 'admin-faults', allow: GET },
  '/openai/models': { kind: 'models', allow: GET },
};

const DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|models)$/;

/** the fixed routes, also with /v1 (one lookup on the hot path; Route objects are shared, never changed) */
const DIRECT = new Map<string, Route>();
for (const [path, r] of Object.entries(FIXED)) {
  DIRECT.set(path, { kind: r.kind, allow: r.allow });
  if (!path.startsWith('/__mock') && !path.startsWith('/openai/')) DIRECT.set(`/v1${path}`, { kind: r.kind, allow: r.allow });
}

function find(path: string): Route | undefined {
  const direct = DIRECT.get(path);
  if (direct) return direct;
  let p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const fixed = FIXED[p];
  if (fixed) return { kind: fixed.kind, allow: fixed.allow };
  if (p.startsWith('/v1/') && !p.startsWith('/v1/__mock/')) {
    p = p.slice(3);
    const v1 = FIXED[p];
    if (v1 && !p.startsWith('/openai/')) return { kind: v1.kind, allow: v1.allow };
  }
  if (p.startsWith('/models/') && p.length > 8) {
    return { kind: 'model', id: safeDecode(p.slice(8)), allow: GET };
  }
  const azure = DEPLOYMENT.exec(p);
  if (azure) {
    const deployment = safeDecode(azure[1]);
    return azure[2] === 'models'
      ? { kind: 'models', deployment, allow: GET }
      : { kind: 'chat', deployment, allow: POST };
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function route(method: string, path: string): RouteResult {
  const r = find(path);
  if (!r) return { ok: false, status: 404, message: `Invalid URL (${method} ${path})` };
  if (!r.allow.includes(method)) {
    return {
      ok: false,
      status: 405,
      allow: r.allow,
      message: `Method ${method} is not allowed for ${path}; allowed: ${r.allow.join(', ')}`,
    };
  }
  return { ok: true, route: r };
}

/** The methods a path answers (for OPTIONS), or undefined for an unknown path. */
export function allowedMethods(path: string): string[] | undefined {
  return find(path)?.allow;
}
