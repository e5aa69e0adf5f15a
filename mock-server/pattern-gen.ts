// A string that matches a JSON Schema `pattern`, written from the pattern's own parts: the pattern is
// parsed (ECMA-262 syntax, the subset schemas use) and each part contributes characters. The client's
// regular expression is never run: a pattern like ^(x+x+)+y$ backtracks exponentially in a
// backtracking engine, so trying candidate strings against it could freeze the server.
// Lengths count code points. Refused with the reason: lookaround, backreferences, invalid syntax,
// and patterns no string within minLength..maxLength matches (as far as this generator can tell).
import { GENERATION_LIMITS, SchemaGenerationError } from './generation-limits.ts';

type Node =
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[]; choice: number }
  | { kind: 'char'; char: string }
  | { kind: 'rep'; body: Node; min: number; max: number; extra: number }
  | { kind: 'assert'; at: 'start' | 'end' | 'boundary' | 'non-boundary' };

type CharTest = (char: string) => boolean;

/** Characters tried first when a class allows several: readable ones. */
const PREFERRED = ['a', 'x', 'A', '0', '1', '-', '_', ' ', '.', 'é', 'Ω', 'Ж', 'あ', '中', '٣'];
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

const isDigit: CharTest = (c) => c >= '0' && c <= '9';
const isWord: CharTest = (c) => isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isSpace: CharTest = (c) => /^\s$/.test(c);

function fail(pattern: string, why: string): never {
  throw new SchemaGenerationError(`the pattern ${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern)} ${why}`);
}

class PatternParser {
  private i = 0;
  private nesting = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternatives();
    if (this.i < this.src.length) this.invalid(`has an unmatched ")" at position ${this.i}`);
    return node;
  }

  private invalid(why: string): never {
    fail(this.src, `is not a valid regular expression: it ${why}`);
  }

  private unsupported(what: string): never {
    fail(this.src, `uses ${what}, which the mock cannot generate strings for`);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.i + offset];
  }

  /** the next code point */
  private take(): string {
    const cp = this.src.codePointAt(this.i);
    if (cp === undefined) this.invalid('ends too early');
    const char = String.fromCodePoint(cp);
    this.i += char.length;
    return char;
  }

  private alternatives(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options, choice: 0 };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified(this.atom()));
    return { kind: 'seq', items };
  }

  private atom(): Node {
    const c = this.take();
    switch (c) {
      case '^':
        return { kind: 'assert', at: 'start' };
      case '$':
        return { kind: 'assert', at: 'end' };
      case '.':
        return { kind: 'char', char: 'x' };
      case '(':
        return this.group();
      case '[':
        return { kind: 'char', char: this.charClass() };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        return this.invalid(`has nothing to repeat before "${c}" at position ${this.i - 1}`);
      default:
        return { kind: 'char', char: c };
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.i += 2;
      else if (next === '=' || next === '!') this.unsupported('a lookahead');
      else if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!')) this.unsupported('a lookbehind');
      else if (next === '<') {
        const close = this.src.indexOf('>', this.i);
        if (close < 0) this.invalid('has an unterminated group name');
        this.i = close + 1;
      } else this.invalid(`has an unknown group "(?${next ?? ''}"`);
    }
    if (++this.nesting > GENERATION_LIMITS.patternNesting) fail(this.src, `nests groups deeper than ${GENERATION_LIMITS.patternNesting} levels`);
    const body = this.alternatives();
    this.nesting--;
    if (this.peek() !== ')') this.invalid('has an unclosed "("');
    this.i++;
    return body;
  }

  private quantified(atom: Node): Node {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 40));
      if (!m) return atom; // a literal "{"
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.invalid(`has a quantifier {${m[1]},${m[3]}} whose bounds are out of order`);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: the same strings
    if (atom.kind === 'assert') return atom;
    return { kind: 'rep', body: atom, min, max, extra: 0 };
  }

  /** an escape outside a class */
  private escape(): Node {
    const c = this.peek();
    if (c === 'b') {
      this.i++;
      return { kind: 'assert', at: 'boundary' };
    }
    if (c === 'B') {
      this.i++;
      return { kind: 'assert', at: 'non-boundary' };
    }
    if (c !== undefined && c >= '1' && c <= '9') this.unsupported('a backreference');
    if (c === 'k' && this.peek(1) === '<') this.unsupported('a backreference');
    const test = this.classEscape();
    if (test) return { kind: 'char', char: pick(this.src, [test], false) };
    return { kind: 'char', char: this.charEscape() };
  }

  /** \d \D \w \W \s \S \p{..} \P{..} as a test, or undefined for a character escape */
  private classEscape(): CharTest | undefined {
    const c = this.peek();
    const simple: Record<string, CharTest> = {
      d: isDigit,
      D: (x) => !isDigit(x),
      w: isWord,
      W: (x) => !isWord(x),
      s: isSpace,
      S: (x) => !isSpace(x),
    };
    if (c !== undefined && simple[c]) {
      this.i++;
      return simple[c];
    }
    if ((c === 'p' || c === 'P') && this.peek(1) === '{') {
      const close = this.src.indexOf('}', this.i);
      const name = close < 0 ? '' : this.src.slice(this.i + 2, close);
      // a fixed one-character test built from a checked property name: nothing to backtrack
      if (!/^[A-Za-z_]+(=[A-Za-z_]+)?$/.test(name)) this.invalid(`has an invalid property escape \\${c}{${name}}`);
      let re: RegExp;
      try {
        re = new RegExp(`^\\p{${name}}$`, 'u');
      } catch {
        this.invalid(`names an unknown Unicode property "${name}"`);
      }
      this.i = close + 1;
      return c === 'p' ? (x) => re.test(x) : (x) => !re.test(x);
    }
    return undefined;
  }

  /** a character escape (\n, \x41, \u0041, \u{1F600}, \cJ, \0, or an escaped literal) */
  private charEscape(): string {
    const c = this.take();
    const controls: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };
    if (controls[c] !== undefined) return controls[c];
    if (c === 'x' || c === 'u') {
      const braced = c === 'u' && this.peek() === '{';
      const m = braced ? /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i, this.i + 8)) : new RegExp(`^[0-9a-fA-F]{${c === 'x' ? 2 : 4}}`).exec(this.src.slice(this.i, this.i + 4));
      if (!m) this.invalid(`has an invalid \\${c} escape`);
      const cp = parseInt(braced ? m[1] : m[0], 16);
      if (cp > 0x10ffff) this.invalid('has a code point above U+10FFFF');
      this.i += m[0].length;
      return String.fromCodePoint(cp);
    }
    if (c === 'c') {
      const letter = this.take();
      if (!/^[A-Za-z]$/.test(letter)) this.invalid('has an invalid \\c escape');
      return String.fromCharCode(letter.charCodeAt(0) % 32);
    }
    return c;
  }

  /** a class [...] (after the "["): one character it allows */
  private charClass(): string {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const tests: CharTest[] = [];
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) this.invalid('has an unclosed "["');
      let lo: string;
      if (this.peek() === '\\') {
        this.i++;
        const test = this.classEscape();
        if (test) {
          tests.push(test);
          continue;
        }
        lo = this.peek() === 'b' ? (this.i++, '\b') : this.peek() === '-' ? (this.i++, '-') : this.charEscape();
      } else lo = this.take();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.i++;
        const hi = this.peek() === '\\' ? (this.i++, this.charEscape()) : this.take();
        tests.push(range(this.src, lo, hi));
      } else tests.push(range(this.src, lo, lo));
    }
    this.i++;
    return pick(this.src, tests, negated);
  }
}

/** A class range as a test, its first character kept as a candidate for pick(). */
function range(pattern: string, lo: string, hi: string): CharTest {
  const [a, b] = [lo.codePointAt(0)!, hi.codePointAt(0)!];
  if (b < a) fail(pattern, `is not a valid regular expression: it has a class range ${lo}-${hi} out of order`);
  return Object.assign((x: string) => x.codePointAt(0)! >= a && x.codePointAt(0)! <= b, { candidate: lo });
}

/** One character the tests allow (or, negated, none of them allows): a readable one when possible. */
function pick(pattern: string, tests: (CharTest & { candidate?: string })[], negated: boolean): string {
  const allowed = (c: string) => tests.some((t) => t(c)) !== negated;
  const pool = [...PREFERRED, ...ASCII, ...tests.map((t) => t.candidate).filter((c): c is string => c !== undefined)];
  const found = pool.find(allowed);
  if (found === undefined) fail(pattern, 'has a character class that no character the mock tries matches');
  return found;
}

/**
 * The length of what a node writes: the shortest it can write, or (`chosen`) what render() writes:
 * the chosen alternatives, the extra repetitions.
 */
function lengthOf(node: Node, chosen: boolean): number {
  switch (node.kind) {
    case 'char':
      return 1;
    case 'assert':
      return 0;
    case 'seq':
      return node.items.reduce((sum, n) => sum + lengthOf(n, chosen), 0);
    case 'alt':
      return chosen ? lengthOf(node.options[node.choice], true) : Math.min(...node.options.map((n) => lengthOf(n, false)));
    case 'rep':
      return (node.min + (chosen ? node.extra : 0)) * lengthOf(node.body, chosen);
  }
}

function chosenLength(node: Node): number {
  return lengthOf(node, true);
}

function render(node: Node): string {
  switch (node.kind) {
    case 'char':
      return node.char;
    case 'assert':
      return '';
    case 'seq':
      return node.items.map(render).join('');
    case 'alt':
      return render(node.options[node.choice]);
    case 'rep':
      return render(node.body).repeat(node.min + node.extra);
  }
}

function chooseShortest(node: Node): void {
  if (node.kind === 'seq') node.items.forEach(chooseShortest);
  else if (node.kind === 'rep') chooseShortest(node.body);
  else if (node.kind === 'alt') {
    node.options.forEach(chooseShortest);
    const lengths = node.options.map((n) => lengthOf(n, false));
    node.choice = lengths.indexOf(Math.min(...lengths));
  }
}

/** The nodes on the chosen path, in order, not descending into repetitions (their bodies repeat). */
function chosenPath(node: Node, out: Node[] = []): Node[] {
  out.push(node);
  if (node.kind === 'seq') for (const n of node.items) chosenPath(n, out);
  else if (node.kind === 'alt') chosenPath(node.options[node.choice], out);
  return out;
}

/** The assertion the chosen path starts (or ends) with, if any. */
function edgeAssert(node: Node, end: boolean): Node | undefined {
  if (node.kind === 'assert') return node;
  if (node.kind === 'alt') return edgeAssert(node.options[node.choice], end);
  if (node.kind === 'seq' && node.items.length > 0) return edgeAssert(node.items[end ? node.items.length - 1 : 0], end);
  return undefined;
}

/**
 * A string of min..max code points that matches `pattern` (JSON Schema: unanchored, so a pattern
 * without ^ or $ may be padded on that side). Throws SchemaGenerationError when it cannot.
 */
export function stringForPattern(pattern: string, min: number, max: number): string {
  if (pattern.length > GENERATION_LIMITS.patternLength) fail(pattern, `is longer than ${GENERATION_LIMITS.patternLength} characters`);
  const root = new PatternParser(pattern).parse();
  let length = chosenLength(root);
  if (length > Math.min(max, GENERATION_LIMITS.stringLength)) {
    chooseShortest(root);
    length = chosenLength(root);
  }
  if (length > GENERATION_LIMITS.stringLength) fail(pattern, `needs more than ${GENERATION_LIMITS.stringLength} characters`);
  if (length > max) fail(pattern, `matches no string of at most ${max} characters`);
  let prefix = '';
  let suffix = '';
  if (length < min) {
    const start = edgeAssert(root, false);
    const end = edgeAssert(root, true);
    const filler = (a: Node | undefined) => (a?.kind === 'assert' && a.at === 'non-boundary' ? 'x' : '-');
    if (!(end?.kind === 'assert' && end.at === 'end')) suffix = filler(end).repeat(min - length);
    else if (!(start?.kind === 'assert' && start.at === 'start')) prefix = filler(start).repeat(min - length);
    else {
      let deficit = min - length;
      for (const n of chosenPath(root)) {
        if (deficit <= 0) break;
        if (n.kind !== 'rep' || n.max === n.min) continue;
        const unit = chosenLength(n.body);
        if (unit === 0) continue;
        n.extra = Math.min(n.max - n.min, Math.ceil(deficit / unit));
        deficit -= n.extra * unit;
      }
      if (deficit > 0) fail(pattern, `matches no string of at least ${min} characters that the mock can find`);
      length = chosenLength(root);
      if (length > max) fail(pattern, `matches no string of ${min} to ${max} characters that the mock can find`);
    }
  }
  return prefix + render(root) + suffix;
}
