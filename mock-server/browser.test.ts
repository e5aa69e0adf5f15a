// The msw handlers in a real browser, through msw's service worker (setupWorker): the bundle from
// browser-build.ts, served with a page and mockServiceWorker.js by node:http, driven in Debian's
// chromium (playwright-core). The page's own fetch is answered by the engine: a synthesized
// completion, a stream read chunk by chunk, a fixture picked by header, a 400 for broken JSON.
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { findFixture } from '../lib/fixtures.ts';
import { validate } from '../lib/validate.ts';
import { chromiumMissing, launchChromium } from '../test-support/chromium.ts';
import { BUNDLE_NAME, buildBrowserMock } from './browser-build.ts';
import { DEFAULT_ORIGIN } from './msw.ts';

const skip = chromiumMissing();
const URL_PATH = `${DEFAULT_ORIGIN}/v1/chat/completions`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>oai-compat mock</title>`;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8' };

/** What the page sees of one response (run in the browser). */
interface Seen {
  status: number;
  contentType: string | null;
  reads: number;
  text: string;
}

describe('the msw handlers in chromium, through the service worker', { skip, timeout: 30_000 }, () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-browser-mock-'));
    await buildBrowserMock(dir);
    server = createServer((req, res) => {
      const name = req.url === '/' ? 'index.html' : path.basename(req.url ?? '');
      let body: string | Buffer;
      try {
        body = name === 'index.html' ? PAGE : readFileSync(path.join(dir, name));
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.evaluate(async (bundle) => {
      const { startBrowserMock } = await import(`/${bundle}`);
      (window as any).mock = await startBrowserMock();
    }, BUNDLE_NAME);
  });

  after(async () => {
    await page?.evaluate(() => (window as any).mock?.stop()).catch(() => {});
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  /** fetch in the page, the body read incrementally with getReader() */
  function fetchInPage(headers: Record<string, string>, body: string): Promise<Seen> {
    return page.evaluate(
      async ({ url, headers, body }) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        let reads = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          reads++;
          text += decoder.decode(value, { stream: true });
        }
        text += decoder.decode();
        return { status: response.status, contentType: response.headers.get('content-type'), reads, text };
      },
      { url: URL_PATH, headers, body },
    );
  }

  const dataOf = (text: string) =>
    text
      .split(/\n\n/)
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice('data: '.length));

  test('the worker controls the page', async () => {
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null));
  });

  test('a completion from the synthesizer', async () => {
    const seen = await fetchInPage({}, JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Say hello.' }] }));
    assert.equal(seen.status, 200);
    assert.match(seen.contentType ?? '', /^application\/json/);
    const completion = JSON.parse(seen.text);
    assert.deepEqual(validate('chat-completion', completion), { ok: true });
    assert.equal(completion.object, 'chat.completion');
    assert.ok(completion.choices[0].message.content.length > 0);
  });

  test('a stream, read chunk by chunk, ends with data: [DONE]', async () => {
    const body = JSON.stringify({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'Count to five.' }] });
    const seen = await fetchInPage({ 'x-mock-chunk-delay-ms': '5' }, body);
    assert.equal(seen.status, 200);
    assert.match(seen.contentType ?? '', /^text\/event-stream/);
    assert.ok(seen.reads > 1, `the body came in ${seen.reads} read(s)`);
    const data = dataOf(seen.text);
    assert.equal(data.at(-1), '[DONE]');
    for (const d of data.slice(0, -1)) assert.deepEqual(validate('chat-completion-chunk', JSON.parse(d)), { ok: true }, d);
  });

  test('a fixture picked with x-mock-scenario: UTF-8 split across writes', async () => {
    const fixture = findFixture('stream-utf8-split-content')!;
    const seen = await fetchInPage({ 'x-mock-scenario': fixture.id }, JSON.stringify(fixture.request));
    assert.equal(seen.status, 200);
    const data = dataOf(seen.text);
    assert.equal(data.at(-1), '[DONE]');
    const content = data
      .slice(0, -1)
      .map((d) => JSON.parse(d).choices[0]?.delta?.content ?? '')
      .join('');
    assert.equal(content, fixture.expect!.content);
  });

  test('malformed JSON: 400 with the OpenAI error envelope', async () => {
    const seen = await fetchInPage({}, '{"model": "mock-gpt", "messages": [');
    assert.equal(seen.status, 400);
    const body = JSON.parse(seen.text);
    assert.deepEqual(validate('error', body), { ok: true });
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /JSON/);
  });

  test('no page errors', () => {
    assert.deepEqual(errors, []);
  });
});
