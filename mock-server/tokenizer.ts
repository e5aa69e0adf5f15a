// The mock's tokenizer: deterministic and cheap. A token is a run of letters/digits, or a run of
// other non-space characters, each with the whitespace before it (like " word" in BPE vocabularies),
// so that concatenating the tokens of a text gives the text back exactly.

const TOKEN = /\s*[\p{L}\p{N}_']+|\s*[^\s\p{L}\p{N}_']+|\s+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  TOKEN.lastIndex = 0;
  let n = 0;
  while (TOKEN.exec(text) !== null) n++;
  return n;
}
