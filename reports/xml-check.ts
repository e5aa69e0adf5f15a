// A small, strict XML 1.0 well-formedness parser for the report tests (junit.xml, badge.svg):
// one root, balanced tags, quoted and unique attributes, known entities, only characters XML allows.
// It builds a tree so that tests can count elements and read attributes. Not a general XML library:
// no DTDs, no namespaces resolution.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

export class XmlError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
  }
}

function isChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function isNameStart(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || ch === '_' || ch === ':' || c >= 0xc0;
}

function isNameChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return isNameStart(ch) || ch === '-' || ch === '.' || (c >= 0x30 && c <= 0x39) || c === 0xb7;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(text: string): XmlElement {
  // Characters first: a lone surrogate or a control character makes the whole document invalid.
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new XmlError('lone surrogate', i);
    if (!isChar(cp)) throw new XmlError(`character U+${cp.toString(16).toUpperCase()} is not allowed in XML`, i);
    if (cp > 0xffff) i++;
  }
  let pos = 0;
  const peek = (s: string) => text.startsWith(s, pos);
  const expect = (s: string) => {
    if (!peek(s)) throw new XmlError(`expected ${JSON.stringify(s)}`, pos);
    pos += s.length;
  };
  const skipSpace = () => {
    while (isSpace(text[pos])) pos++;
  };
  const name = (): string => {
    const start = pos;
    if (pos >= text.length || !isNameStart(text[pos])) throw new XmlError('expected a name', pos);
    pos++;
    while (pos < text.length && isNameChar(text[pos])) pos++;
    return text.slice(start, pos);
  };
  const reference = (): string => {
    const start = pos;
    expect('&');
    const end = text.indexOf(';', pos);
    if (end < 0 || end - pos > 12) throw new XmlError('unterminated entity reference', start);
    const ref = text.slice(pos, end);
    pos = end + 1;
    if (ref.startsWith('#x')) {
      const hex = ref.slice(2);
      if (hex === '' || [...hex].some((c) => !'0123456789abcdefABCDEF'.includes(c))) throw new XmlError(`bad character reference &${ref};`, start);
      const cp = Number.parseInt(hex, 16);
      if (!isChar(cp)) throw new XmlError(`character reference &${ref}; is not an XML character`, start);
      return String.fromCodePoint(cp);
    }
    if (ref.startsWith('#')) {
      const dec = ref.slice(1);
      if (dec === '' || [...dec].some((c) => c < '0' || c > '9')) throw new XmlError(`bad character reference &${ref};`, start);
      const cp = Number.parseInt(dec, 10);
      if (!isChar(cp)) throw new XmlError(`character reference &${ref}; is not an XML character`, start);
      return String.fromCodePoint(cp);
    }
    if (!(ref in ENTITIES)) throw new XmlError(`unknown entity &${ref};`, start);
    return ENTITIES[ref];
  };
  const misc = () => {
    for (;;) {
      skipSpace();
      if (peek('<!--')) comment();
      else if (peek('<?')) pi();
      else return;
    }
  };
  const comment = () => {
    const start = pos;
    expect('<!--');
    const end = text.indexOf('--', pos);
    if (end < 0) throw new XmlError('unterminated comment', start);
    if (text[end + 2] !== '>') throw new XmlError('"--" inside a comment', end);
    pos = end + 3;
  };
  const pi = () => {
    const start = pos;
    expect('<?');
    name();
    const end = text.indexOf('?>', pos);
    if (end < 0) throw new XmlError('unterminated processing instruction', start);
    pos = end + 2;
  };
  const element = (): XmlElement => {
    expect('<');
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      const hadSpace = isSpace(text[pos]);
      skipSpace();
      if (peek('/>')) {
        pos += 2;
        return el;
      }
      if (peek('>')) {
        pos++;
        break;
      }
      if (!hadSpace) throw new XmlError('expected whitespace before an attribute', pos);
      const attrStart = pos;
      const attr = name();
      if (attr in el.attrs) throw new XmlError(`duplicate attribute ${attr}`, attrStart);
      skipSpace();
      expect('=');
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") throw new XmlError('attribute value must be quoted', pos);
      pos++;
      let value = '';
      for (;;) {
        if (pos >= text.length) throw new XmlError('unterminated attribute value', attrStart);
        const ch = text[pos];
        if (ch === quote) {
          pos++;
          break;
        }
        if (ch === '<') throw new XmlError('"<" in an attribute value', pos);
        if (ch === '&') value += reference();
        else {
          value += isSpace(ch) ? ' ' : ch;
          pos++;
        }
      }
      el.attrs[attr] = value;
    }
    let buf = '';
    const flush = () => {
      if (buf) el.children.push(buf);
      buf = '';
    };
    for (;;) {
      if (pos >= text.length) throw new XmlError(`unclosed element <${el.name}>`, pos);
      if (peek('</')) {
        flush();
        pos += 2;
        const closing = name();
        if (closing !== el.name) throw new XmlError(`</${closing}> closes <${el.name}>`, pos);
        skipSpace();
        expect('>');
        return el;
      }
      if (peek('<!--')) {
        flush();
        comment();
      } else if (peek('<![CDATA[')) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) throw new XmlError('unterminated CDATA section', pos);
        buf += text.slice(pos + 9, end);
        pos = end + 3;
      } else if (peek('<?')) {
        flush();
        pi();
      } else if (peek('<')) {
        flush();
        el.children.push(element());
      } else if (peek('&')) {
        buf += reference();
      } else {
        if (peek(']]>')) throw new XmlError('"]]>" in text', pos);
        buf += text[pos++];
      }
    }
  };

  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  misc();
  if (!peek('<')) throw new XmlError('expected the root element', pos);
  const root = element();
  misc();
  if (pos !== text.length) throw new XmlError('content after the root element', pos);
  return root;
}

/** Every element named `name` in document order (the root included). */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    if (el.name === name) out.push(el);
    for (const c of el.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  return out;
}

export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
