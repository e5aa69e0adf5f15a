// msw request handlers answering like the mock server, for any place msw runs: setupServer in Node
// (msw.ts), setupWorker in a browser (browser.ts), and the standalone server's --via-msw mode. Every
// handler does the same: the fetch Request becomes a MockRequest (mock-request.ts), the engine plans
// the answer, and fetch-response.ts turns the plan into a Response. This module imports nothing of
// Node: the engine it is given already holds its fixtures.
//
// Written for msw 3: it only uses `http.*`, plain Request and Response objects.
import { http, type RequestHandler } from 'msw';
import type { Engine } from './engine.ts';
import { planToResponse } from './fetch-response.ts';
import { toMockRequest } from './mock-request.ts';
import type { MockRequest } from './types.ts';

export const DEFAULT_ORIGIN = 'https://mock.oai-compat.local';

export interface HandlerOptions {
  /** the origin the handlers answer for, e.g. https://mock.oai-compat.local; '*' (default) answers any origin */
  origin?: string;
}

const EMPTY = new Uint8Array(0);

/**
 * The --via-msw adapter already holds the node request's headers and body bytes: it hands them to the
 * handlers beside the fetch Request (msw passes that same Request object to the resolver), so they are
 * not copied into a body stream, teed by msw's request clone, and read back.
 */
const fromNode = new WeakMap<Request, { headers: Record<string, string>; body: Uint8Array }>();

/** Give the handlers a request's headers and body as node:http read them (see fromNode). */
export function attachNodeRequest(request: Request, headers: Record<string, string>, body: Uint8Array): void {
  fromNode.set(request, { headers, body });
}

/** A fetch Request as the engine's MockRequest (its body read to the end). */
async function mockRequestOf(request: Request): Promise<MockRequest> {
  const side = fromNode.get(request);
  if (side) return toMockRequest(request.method, request.url, side.headers, side.body);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = request.method === 'GET' || request.method === 'HEAD' || !request.body ? EMPTY : new Uint8Array(await request.arrayBuffer());
  return toMockRequest(request.method, request.url, headers, body);
}

/**
 * The handlers for one engine: chat completions, models, health (also without /v1), Azure deployment
 * paths, /__mock/*, and a catch-all for that origin (404/405 envelopes).
 */
export function handlersFor(engine: Engine, options: HandlerOptions = {}): RequestHandler[] {
  const origin = (options.origin ?? '*').replace(/\/+$/, '');
  const resolver = async ({ request }: { request: Request }) => planToResponse(engine.handleSync(await mockRequestOf(request)), request.signal);
  return [
    http.post(`${origin}/v1/chat/completions`, resolver),
    http.post(`${origin}/chat/completions`, resolver),
    http.post(`${origin}/openai/deployments/:deployment/chat/completions`, resolver),
    http.get(`${origin}/v1/models`, resolver),
    http.get(`${origin}/models`, resolver),
    http.get(`${origin}/v1/models/*`, resolver),
    http.get(`${origin}/models/*`, resolver),
    http.get(`${origin}/health`, resolver),
    http.all(`${origin}/*`, resolver),
  ];
}
