// Faults for suites/checks/vision.ts: images refused (cleanly or not), several images or a detail
// refused, images refused in streams, images dropped silently.
import type { ChatRequest } from '../../types.ts';
import { isObject, isStream, refuseWhen, type ContractFault, type Json } from './helpers.ts';

function imageParts(req: ChatRequest): Json[][] {
  const out: Json[][] = [];
  for (const m of Array.isArray(req?.messages) ? req.messages : []) {
    if (!isObject(m) || !Array.isArray(m.content)) continue;
    out.push(m.content.filter((p: unknown) => isObject(p) && p.type === 'image_url'));
  }
  return out;
}

function hasImage(req: ChatRequest): boolean {
  return imageParts(req).some((parts) => parts.length > 0);
}

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*$/i;

/** An image part the engine would accept (a base64 data URL), so dropping it never hides a validation error. */
function isWellFormedImage(part: unknown): boolean {
  return isObject(part) && part.type === 'image_url' && isObject(part.image_url) && typeof part.image_url.url === 'string' && DATA_IMAGE.test(part.image_url.url);
}

export const visionFaults: ContractFault[] = [
  {
    id: 'vision.reject-images-dirty',
    description: 'Requests with an image are refused with a 400 whose body is not the OpenAI error envelope ({"detail": ...}).',
    validate: (ctx, refusal) => refusal ?? (hasImage(ctx.request) ? { status: 400, body: { detail: 'Image input is not supported by this model.' } } : null),
  },
  {
    id: 'vision.reject-several-images',
    description: 'A message with more than one image is refused with a 400.',
    validate: refuseWhen((req) => imageParts(req).some((parts) => parts.length > 1), 'At most 1 image(s) may be provided in one request.', 'messages'),
  },
  {
    id: 'vision.reject-detail',
    description: 'An image_url part with a detail field is refused with a 400.',
    validate: refuseWhen(
      (req) => imageParts(req).some((parts) => parts.some((p) => isObject(p.image_url) && p.image_url.detail !== undefined)),
      "Unrecognized request argument supplied: 'image_url.detail'.",
      'messages',
    ),
  },
  {
    id: 'vision.reject-images-in-stream',
    description: 'A streamed request with an image is refused with a 400.',
    validate: refuseWhen((req, ctx) => isStream(req, ctx) && hasImage(req), 'Images are not supported with stream: true.', 'stream'),
  },
  {
    id: 'vision.image-dropped',
    description: 'Image parts are silently removed from messages (the model never sees them; prompt_tokens do not count them).',
    request: (req) => {
      if (!imageParts(req).some((parts) => parts.some(isWellFormedImage))) return req;
      return {
        ...req,
        messages: req.messages.map((m: unknown) =>
          isObject(m) && Array.isArray(m.content) ? { ...m, content: m.content.filter((p: unknown) => !isWellFormedImage(p)) } : m,
        ),
      };
    },
  },
];
