// Images in user messages, as data URLs (no network fetches here): one, several, with detail,
// streamed, and an effect probe that the image reaches the model. A clean refusal of an unclaimed
// capability is UNSUPPORTED (the runner, and gate() for the scripted checks).
import { BLUE_PNG, RED_PNG, followUp, gate, imagePart, messageOf, okJson, show, usageOf, viewStream, streamText } from './feature-helpers.ts';
import type { Check, CheckContext, Exchange, Finding, RequestSpec } from './types.ts';

const QUESTION = 'What colour is this image? Answer in one word.';

function imageRequest(parts: Record<string, unknown>[], extra: Record<string, unknown> = {}): RequestSpec {
  return { body: { messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }, ...parts] }], max_tokens: 16, ...extra } };
}

const ONE_IMAGE = imageRequest([imagePart(RED_PNG)]);
const TEXT_ONLY: RequestSpec = { body: { messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }] }], max_tokens: 16 } };

/** An answer: 200, a choice with an assistant message whose content is a string. */
function answered(x: Exchange, what: string): string | undefined {
  const message = messageOf(x);
  if (!message) return `${what}: the body has no choices[0].message (${show(x.json)})`;
  if (typeof message.content !== 'string' && !Array.isArray(message.tool_calls)) return `${what}: choices[0].message.content is ${show(message.content)}, not a string`;
}

/** The single-image request decides: a clean refusal is UNSUPPORTED (when not claimed); any other failure is vision.data-url's finding. */
function singleImage(first: Exchange, ctx: CheckContext): Finding | undefined {
  const refused = gate(first, ctx, 'vision');
  if (typeof refused === 'string') return { skip: `prerequisite failed: a single image is not answered (see vision.data-url): ${refused}` };
  return refused;
}

/** Scripted: the single-image request decides whether vision is supported at all; then the variant must be answered. */
async function variant(ctx: CheckContext, spec: RequestSpec, what: string): Promise<Finding | undefined> {
  const first = await ctx.send(ONE_IMAGE);
  const refused = singleImage(first, ctx);
  if (refused) return refused;
  const x = await ctx.send(spec);
  const problem = followUp(x, what);
  if (problem) return `one image is accepted, but ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`;
  if (spec.body?.stream === true) {
    if (!x.events || x.events.length === 0) return `${what}: the stream carried no data events`;
    const text = streamText(viewStream(x).choices.get(0));
    if (text === '') return `${what}: the stream carried no content for choice 0`;
    return undefined;
  }
  return answered(x, what);
}

export const visionChecks: Check[] = [
  {
    id: 'vision.data-url',
    level: 'MUST',
    capability: 'vision',
    title: 'An image as a data URL is accepted and answered',
    requirement: 'A user message with an image_url part holding a data:image/png;base64 URL "must be accepted and answered".',
    fault: 'vision.reject-images-dirty',
    request: ONE_IMAGE,
    validate: [okJson, (x) => answered(x, 'one image')],
  },
  {
    id: 'vision.several-images',
    level: 'MUST',
    capability: 'vision',
    title: 'Several images in one message are accepted',
    requirement: 'A user message with several image_url parts "must be accepted and answered".',
    fault: 'vision.reject-several-images',
    run: (ctx) => variant(ctx, imageRequest([imagePart(RED_PNG), imagePart(BLUE_PNG)]), 'a message with two images'),
  },
  {
    id: 'vision.detail-low',
    level: 'MUST',
    capability: 'vision',
    title: 'image_url.detail "low" is accepted',
    requirement: 'An image_url part with detail "low" "must be accepted".',
    fault: 'vision.reject-detail',
    run: (ctx) => variant(ctx, imageRequest([imagePart(RED_PNG, 'low')]), 'an image with detail "low"'),
  },
  {
    id: 'vision.detail-high',
    level: 'MUST',
    capability: 'vision',
    title: 'image_url.detail "high" is accepted',
    requirement: 'An image_url part with detail "high" "must be accepted".',
    fault: 'vision.reject-detail',
    run: (ctx) => variant(ctx, imageRequest([imagePart(BLUE_PNG, 'high')]), 'an image with detail "high"'),
  },
  {
    id: 'vision.stream',
    level: 'MUST',
    capability: 'vision',
    title: 'An image in a streamed request is answered with a stream',
    requirement: 'A streamed request with an image "must be answered with a stream carrying content".',
    fault: 'vision.reject-images-in-stream',
    run: (ctx) => variant(ctx, imageRequest([imagePart(RED_PNG)], { stream: true }), 'a streamed request with an image'),
  },
  {
    id: 'vision.image-tokens',
    level: 'SHOULD',
    capability: 'vision',
    title: 'Effect probe: an image raises prompt_tokens',
    requirement: 'An image is part of the prompt: adding one "should raise usage.prompt_tokens" (equal counts mean the image was dropped).',
    fault: 'vision.image-dropped',
    async run(ctx, out) {
      const plain = await ctx.send(TEXT_ONLY);
      if (plain.status !== 200) return { skip: `the same message without an image failed (HTTP ${plain.status || plain.error}), so there is nothing to compare` };
      const x = await ctx.send(ONE_IMAGE);
      const refused = singleImage(x, ctx);
      if (refused) return refused;
      const a = usageOf(plain)?.prompt_tokens;
      const b = usageOf(x)?.prompt_tokens;
      if (typeof a !== 'number' || typeof b !== 'number') return { skip: `usage.prompt_tokens is missing (${show(a)} without the image, ${show(b)} with it)` };
      out.notes.promptTokens = { withoutImage: a, withImage: b };
      if (b <= a) return { ignored: `usage.prompt_tokens is ${b} with a 32×32 PNG and ${a} without it: the image was not counted, likely dropped` };
    },
  },
];
