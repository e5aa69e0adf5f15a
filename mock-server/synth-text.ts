// The words the default synthesizer says. Deterministic: a template chosen by a hash of the
// conversation (and seed), echoing the first words of the last user message. Every template contains
// common words ("the", "and", "is") and the echo, so that `stop` sequences taken from everyday words
// or from the prompt do cut the answer. Kept short (about 20-30 tokens) so `max_tokens: 64` is
// never reached by a plain answer.
import { countImages, lastUserText, trailingToolResults, words } from './conversation.ts';
import type { ChatRequest } from './types.ts';

const ECHO_WORDS = 8;

const STYLES = ['amber', 'blue', 'calm', 'dry', 'even', 'firm', 'green', 'kind', 'light', 'mild', 'neat', 'plain', 'quiet', 'round', 'short', 'warm'];

const TEMPLATES: ((echo: string, style: string) => string)[] = [
  (e, s) => `Hello! This is the mock answer to your message about ${e}, and the reply is ${s} and deterministic.`,
  (e, s) => `Sure. The mock model read ${e} and replies with the same ${s} words every time.`,
  (e, s) => `Here is the answer from the mock model: you wrote ${e}, and that is noted in a ${s} way.`,
  (e, s) => `Thanks for the message about ${e}. The mock model answers it in one ${s} sentence and stops.`,
  (e, s) => `The mock server heard ${e}, and the answer is this ${s} sentence from the test double.`,
  (e, s) => `Got it: ${e}. This is the ${s} reply of the mock, and it is the same for the same request.`,
  (e, s) => `You asked about ${e}. The mock gives a ${s} answer here, and the conversation can go on.`,
  (e, s) => `Noted: ${e}. The reply of the mock is ${s}, short and the same each time you ask.`,
];

export function echoOf(req: ChatRequest): string {
  const w = words(lastUserText(req)).slice(0, ECHO_WORDS);
  return w.length > 0 ? w.join(' ') : 'your message';
}

/** The plain text answer for one choice. `variant` comes from the conversation hash and the choice index. */
export function answerText(req: ChatRequest, variant: number): string {
  const tools = trailingToolResults(req);
  const images = countImages(req);
  const style = STYLES[(variant >>> 8) % STYLES.length];
  let text: string;
  if (tools.length > 0) {
    const names = [...new Set(tools.map((t) => t.name))].join(' and ');
    const snippet = words(tools.map((t) => t.content).join(' ')).slice(0, ECHO_WORDS).join(' ') || 'nothing';
    text = `The tool ${names} returned ${snippet}, and the answer is based on the result in a ${style} way.`;
  } else {
    text = TEMPLATES[variant % TEMPLATES.length](echoOf(req), style);
  }
  if (images > 0) text = `I can see ${images} image${images === 1 ? '' : 's'}. ${text}`;
  return text;
}

export function reasoningText(req: ChatRequest): string {
  return `The user asks about ${echoOf(req)}. A short and deterministic answer is enough, so the mock gives it now.`;
}
