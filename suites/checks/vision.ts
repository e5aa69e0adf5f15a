// Images in user messages, as data URLs (no network fetches here): one, several, with detail,
// streamed, and an effect probe that the image reaches the model. A clean refusal of an unclaimed
// capability is UNSUPPORTED (the gates decide, for the runner and for the scripted checks alike).
import { messageOf, usageOf } from './support/completion.ts';
import { completion, accepted, prerequisite, unanswered } from './support/gates.ts';
import { param, schema as contract } from './support/refs.ts';
import { BLUE_PNG, RED_PNG, imagePart } from './support/requests.ts';
import { streamChoice } from './support/stream-view.ts';
import { show } from './support/text.ts';
import { checksOf, type CheckContext, type CheckDeclaration, type Exchange, type Finding, type RequestSpec } from './types.ts';

type Json = Record<string, unknown>;

const QUESTION = 'What colour is this image? Answer in one word.';

function imageRequest(parts: Json[], extra: Json = {}): RequestSpec {
  return { body: { messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }, ...parts] }], max_tokens: 16, ...extra } };
}

const ONE_IMAGE = imageRequest([imagePart(RED_PNG)]);
const TEXT_ONLY: RequestSpec = { body: { messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }] }], max_tokens: 16 } };
const IMAGE_PART = contract('content-part');

/** An answer: a choice with an assistant message whose content is a string (or that calls tools). */
function answered(x: Exchange, what: string): string | undefined {
  const message = messageOf(x);
  if (!message) return `${what}: the body has no choices[0].message (${show(x.json)})`;
  if (typeof message.content !== 'string' && !Array.isArray(message.tool_calls)) return `${what}: choices[0].message.content is ${show(message.content)}, not a string`;
}

/** The single-image request decides: a clean refusal is UNSUPPORTED (when not claimed); any other failure is vision.data-url's finding. */
function singleImage(first: Exchange, ctx: CheckContext): Finding | undefined {
  const refused = accepted(first, ctx, 'vision');
  return typeof refused === 'string' ? prerequisite(`a single image is not answered (see vision.data-url): ${refused}`) : refused;
}

/** A variant of the single-image request, which must be answered once one image is. */
function variant(id: string, fault: string, title: string, requirement: string, spec: RequestSpec, what: string): CheckDeclaration {
  return {
    id, level: 'MUST', fault, ref: IMAGE_PART, title, requirement,
    async run(ctx) {
      const refused = singleImage(await ctx.send(ONE_IMAGE), ctx);
      if (refused) return refused;
      const x = await ctx.send(spec);
      const problem = unanswered(x, what);
      if (problem) return `one image is accepted, but ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`;
      if (!x.sse) return answered(x, what);
      if (!streamChoice(x)?.content) return `${what}: the stream carried no content for choice 0`;
    },
  };
}

export const visionChecks = checksOf('vision', [
  { id: 'vision.data-url', level: 'MUST', fault: 'vision.reject-images-dirty', ref: IMAGE_PART,
    title: 'An image as a data URL is accepted and answered', requirement: 'A user message with an image_url part holding a data:image/png;base64 URL "must be accepted and answered".',
    request: ONE_IMAGE, validate: completion((x) => answered(x, 'one image')),
  },
  variant('vision.several-images', 'vision.reject-several-images', 'Several images in one message are accepted',
    'A user message with several image_url parts "must be accepted and answered".', imageRequest([imagePart(RED_PNG), imagePart(BLUE_PNG)]), 'a message with two images'),
  variant('vision.detail-low', 'vision.reject-detail', 'image_url.detail "low" is accepted',
    'An image_url part with detail "low" "must be accepted".', imageRequest([imagePart(RED_PNG, 'low')]), 'an image with detail "low"'),
  variant('vision.detail-high', 'vision.reject-detail', 'image_url.detail "high" is accepted',
    'An image_url part with detail "high" "must be accepted".', imageRequest([imagePart(BLUE_PNG, 'high')]), 'an image with detail "high"'),
  variant('vision.stream', 'vision.reject-images-in-stream', 'An image in a streamed request is answered with a stream',
    'A streamed request with an image "must be answered with a stream carrying content".', imageRequest([imagePart(RED_PNG)], { stream: true }), 'a streamed request with an image'),
  { id: 'vision.image-tokens', level: 'SHOULD', fault: 'vision.image-dropped', ref: param('messages'),
    title: 'Effect probe: an image raises prompt_tokens', requirement: 'An image is part of the prompt: adding one "should raise usage.prompt_tokens" (equal counts mean the image was dropped).',
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
]);
