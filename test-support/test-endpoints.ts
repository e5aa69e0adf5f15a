// Endpoints for the tests of secrets and big answers: a proxy in front of the mock server that
// rewrites what comes back (never what a check would judge differently, unless that is the point).
//  - echoing: puts the caller's key into model ids (GET /models), content and headers, the way a
//    careless endpoint might, to prove that no report, log or Playwright file ever holds it;
//  - padding: makes every answer big but valid: a JSON answer gains a field of N bytes, a stream gains
//    N empty chunks after its first, so that verdicts must stay what they are without the padding.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Endpoint {
  /** http://127.0.0.1:PORT (no /v1) */
  url: string;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

type Rewrite = (request: { method: string; path: string; headers: Record<string, string>; body: Buffer }, answer: Answer) => Answer;
type RewriteRequest = (request: { method: string; path: string; headers: Record<string, string>; body: Buffer }) => Buffer;

async function startProxy(upstream: string, rewrite: Rewrite, rewriteRequest: RewriteRequest = (r) => r.body): Promise<Endpoint> {
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body };
    try {
      const sent = rewriteRequest(request);
      const upstreamAnswer = await fetch(`${upstream}${request.path}`, { method: request.method, headers, body: request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(sent) });
      const answerHeaders: Record<string, string> = {};
      upstreamAnswer.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') answerHeaders[k] = v;
      });
      const answer = rewrite(request, { status: upstreamAnswer.status, headers: answerHeaders, body: Buffer.from(await upstreamAnswer.arrayBuffer()) });
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `proxy: ${(error as Error).message}`, type: 'server_error' } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** The key a request carried (Bearer or api-key), if any. */
function keyOf(headers: Record<string, string>): string | undefined {
  const auth = headers.authorization?.replace(/^Bearer\s+/i, '') ?? headers['api-key'];
  return auth || undefined;
}

/**
 * A careless endpoint: GET /models lists `mock-gpt-KEY`, answers carry the key in their content and in
 * response headers. Requests for `mock-gpt-KEY` reach the mock as `mock-gpt`.
 */
export function startEchoingEndpoint(upstream: string): Promise<Endpoint> {
  return startProxy(
    upstream,
    (request, answer) => {
      const key = keyOf(request.headers);
      if (!key) return answer;
      let text = answer.body.toString('utf8');
      if (request.path.endsWith('/models')) text = text.replaceAll('"id":"mock-gpt"', `"id":"mock-gpt-${key}"`);
      text = text.replaceAll('"model":"mock-gpt"', `"model":"mock-gpt-${key}"`).replaceAll('"content":"', `"content":"${key} `);
      return { ...answer, headers: { ...answer.headers, 'x-echo-key': key, 'x-request-authorization': `Bearer ${key}` }, body: Buffer.from(text) };
    },
    (request) => {
      const key = keyOf(request.headers);
      return key ? Buffer.from(request.body.toString('utf8').replaceAll(`mock-gpt-${key}`, 'mock-gpt')) : request.body;
    },
  );
}

/**
 * Big but valid answers: a JSON answer gains a top-level `x_padding` string of `jsonBytes`, a stream
 * gains `streamEvents` chunks with an empty delta right after its first chunk (same id, model, created).
 */
export function startPaddingEndpoint(upstream: string, options: { jsonBytes?: number; streamEvents?: number }): Promise<Endpoint> {
  return startProxy(upstream, (_request, answer) => {
    const type = answer.headers['content-type'] ?? '';
    if (answer.status !== 200) return answer;
    if (type.includes('application/json') && options.jsonBytes) {
      const text = answer.body.toString('utf8');
      const at = text.lastIndexOf('}');
      if (!text.trimStart().startsWith('{') || at < 0) return answer;
      const padding = Buffer.alloc(options.jsonBytes, 'a').toString('latin1');
      return { ...answer, body: Buffer.from(`${text.slice(0, at)},"x_padding":"${padding}"${text.slice(at)}`) };
    }
    if (type.includes('text/event-stream') && options.streamEvents) {
      const text = answer.body.toString('utf8');
      const end = text.indexOf('\n\n');
      const first = /^data: (\{.*\})$/m.exec(text.slice(0, end));
      if (end < 0 || !first) return answer;
      const chunk = JSON.parse(first[1]) as Record<string, unknown>;
      const pad = `data: ${JSON.stringify({ id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model, ...(chunk.system_fingerprint ? { system_fingerprint: chunk.system_fingerprint } : {}), choices: [{ index: 0, delta: {}, finish_reason: null }] })}\n\n`;
      return { ...answer, body: Buffer.concat([Buffer.from(text.slice(0, end + 2)), Buffer.from(pad.repeat(options.streamEvents)), Buffer.from(text.slice(end + 2))]) };
    }
    return answer;
  });
}
