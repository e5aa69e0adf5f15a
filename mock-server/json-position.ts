// Where a JSON text goes wrong. Node 20's JSON.parse messages do not always give a position, so this
// small scanner (run only after JSON.parse failed) finds the offset of the first error and what was
// expected there. Iterative (a stack of open containers): any nesting depth is safe to scan.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export interface JsonError {
  position: number;
  expected: string;
}

export function jsonErrorAt(text: string): JsonError | null {
  let i = 0;
  const n = text.length;
  const open: ('{' | '[')[] = [];
  const at = (expected: string): JsonError => ({ position: i, expected });
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const literal = (word: string): JsonError | null => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return at(`"${word}"`);
    return null;
  };
  const string = (): JsonError | null => {
    i++;
    for (;;) {
      if (i >= n) return at('the closing quote of the string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c === 92) {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return at('four hex digits after \\u');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else return at('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        continue;
      }
      if (c < 0x20) return at('no raw control characters inside a string (escape them)');
      i++;
    }
  };
  /** a property name and its colon */
  const key = (): JsonError | null => {
    ws();
    if (text[i] !== '"') return at('a property name in double quotes');
    const bad = string();
    if (bad) return bad;
    ws();
    if (text[i] !== ':') return at("':' after the property name");
    i++;
    return null;
  };
  /** one value; an opened container is pushed and scanned by the loop */
  const value = (): JsonError | null => {
    ws();
    if (i >= n) return at('a value');
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        return null;
      }
      open.push(c);
      return c === '{' ? key() : null;
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0].length === 0) return at('a value (object, array, string, number, true, false or null)');
    i += m[0].length;
    return null;
  };

  for (;;) {
    const depth = open.length;
    const bad = value();
    if (bad) return bad;
    if (open.length > depth) continue; // a container was opened: its first value next
    // after a value: a comma (then the next value) or the end of its containers
    for (;;) {
      ws();
      const top = open[open.length - 1];
      if (top === undefined) return i < n ? at('the end of the input after the JSON value') : null;
      if (text[i] === ',') {
        i++;
        if (top === '{') {
          const badKey = key();
          if (badKey) return badKey;
        }
        break;
      }
      if (text[i] === (top === '{' ? '}' : ']')) {
        i++;
        open.pop();
        continue;
      }
      return at(top === '{' ? "',' or '}'" : "',' or ']'");
    }
  }
}
