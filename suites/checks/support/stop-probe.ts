// The stop effect probe (core.stop.string, core.stop.array, stream.stop-sequence): first the answer
// without stop, then the same request with stop words taken from it; the stopped answer must not
// contain them and must finish with "stop".
import type { CheckContext, Finding, ValidatorOutput } from '../types.ts';
import { firstChoice } from './completion.ts';
import { prerequisite, unanswered } from './gates.ts';
import { END_TOKENS } from './markup.ts';
import { STOP_BASE } from './requests.ts';
import { streamChoice } from './stream-view.ts';
import { show } from './text.ts';

interface Word {
  word: string;
  at: number;
}

/**
 * Words (3+ letters or digits) of a text at their first occurrence, excluding the first 10% of the
 * text and chat-template tokens (a leaked <|im_end|> is judged elsewhere, not stopped on).
 */
function candidateWords(answer: string): Word[] {
  const text = END_TOKENS.reduce((t, token) => t.replaceAll(token, ' '.repeat(token.length)), answer);
  const seen = new Set<string>();
  const words: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]{3,}/gu)) {
    const w = m[0];
    if (seen.has(w)) continue;
    seen.add(w);
    const at = text.indexOf(w); // the first occurrence (maybe inside an earlier word)
    if (at <= 0 || at < text.length * 0.1) continue;
    words.push({ word: w, at });
  }
  return words;
}

/** The word a single-stop probe uses: from the middle of the unstopped answer. */
export function oneStopWord(text: string): string {
  const words = candidateWords(text);
  return words[Math.floor(words.length / 2)].word;
}

/** Up to 4 words, the one that appears last first: a server that honours only stop[0] shows the others. */
export function stopWords(text: string): string[] {
  const words = candidateWords(text);
  const picked = words.length <= 4 ? words : [0.2, 0.45, 0.7, 0.95].map((f) => words[Math.min(words.length - 1, Math.floor(f * words.length))]);
  return [...new Set(picked.sort((a, b) => b.at - a.at).map((w) => w.word))].slice(0, 4);
}

/**
 * Send the baseline, pick the stop from its text, send the request with that stop (fresh: a stopped
 * answer must not come from the run's cache), and return what the stopped answer says.
 */
export async function stopProbe<S extends string | string[]>(
  ctx: CheckContext,
  out: ValidatorOutput,
  pick: (text: string) => S,
  stream = false,
): Promise<{ stop: S; text: string; finish: unknown } | { finding: Finding }> {
  const base = await ctx.send(STOP_BASE);
  const problem = unanswered(base, 'the request without stop');
  if (problem) return { finding: problem };
  const unstopped = firstChoice(base)?.message?.content;
  out.notes.unstopped = unstopped;
  if (typeof unstopped !== 'string' || candidateWords(unstopped).length === 0) {
    return { finding: prerequisite(`the answer without stop (${show(unstopped)}) has no word after its start to stop on`) };
  }
  const stop = pick(unstopped);
  out.notes.stop = stop;
  const x = await ctx.send({ body: { ...STOP_BASE.body, ...(stream ? { stream: true } : {}), stop } }, { fresh: true });
  const refused = unanswered(x, stream ? 'the streamed request with stop' : 'the request with stop');
  if (refused) return { finding: refused };
  if (stream) {
    const choice = streamChoice(x);
    if (!choice) return { finding: 'the streamed answer carried no choice 0' };
    out.notes.stopped = choice.content;
    return { stop, text: choice.content, finish: choice.finishReasons.at(-1)?.value };
  }
  const content = firstChoice(x)?.message?.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    return { finding: `choices[0].message.content is ${show(content)}, not a string` };
  }
  out.notes.stopped = content ?? '';
  return { stop, text: content ?? '', finish: firstChoice(x)?.finish_reason };
}
