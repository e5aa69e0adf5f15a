// XML for the report tests (junit.xml, badge.svg): is it well-formed, and a tree to count elements and
// read attributes. fast-xml-parser validates and parses; a few XML 1.0 rules its validator leaves to
// the caller are checked here, so that the tests reject what the specification rejects: characters
// outside XML's set, unknown entities, a second root or text beside the root, "--" in a comment,
// "]]>" in text, "<" in an attribute value.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

export class XmlError extends Error {}

/** Anything outside XML 1.0's Char production (with `u`, a lone surrogate is a character of its own). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /&([^;&]*);?/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// Raw text and attribute values (entities left alone), so that references can be checked here.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function codePointText(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Replaces the references in raw text by what they stand for; an unknown one is an error. */
function decode(raw: string): string {
  return raw.replace(REFERENCE, (ref, body: string) => {
    if (!ref.endsWith(';')) throw new XmlError(`unterminated reference ${ref}`);
    if (body in NAMED) return NAMED[body];
    const number = /^#x([0-9a-fA-F]+)$/.exec(body)?.[1] ?? /^#([0-9]+)$/.exec(body)?.[1];
    if (number === undefined) throw new XmlError(`unknown entity ${ref}`);
    const cp = Number.parseInt(number, body.startsWith('#x') ? 16 : 10);
    if (cp > 0x10ffff || NOT_XML_CHAR.test(String.fromCodePoint(cp))) throw new XmlError(`${ref} is not an XML character`);
    return String.fromCodePoint(cp);
  });
}

function textOfNodes(nodes: Node[]): string {
  return nodes.map((n) => String(n['#text'] ?? '')).join('');
}

function toElement(node: Node): XmlElement {
  const name = Object.keys(node).find((k) => k !== ':@')!;
  const attrs: Record<string, string> = {};
  for (const [attr, raw] of Object.entries(node[':@'] ?? {})) {
    if (raw.includes('<')) throw new XmlError(`"<" in the value of ${attr} of <${name}>`);
    attrs[attr] = decode(raw.replace(/[\t\n\r]/g, ' ')); // literal white space is a space; &#10; stays a line break
  }
  const children: (XmlElement | string)[] = [];
  for (const child of node[name] as Node[]) {
    if ('#text' in child) {
      const raw = String(child['#text']);
      if (raw.includes(']]>')) throw new XmlError(`"]]>" in the text of <${name}>`);
      children.push(decode(raw));
    } else if ('#cdata' in child) children.push(textOfNodes(child['#cdata'] as Node[]));
    else if ('#comment' in child) {
      if (textOfNodes(child['#comment'] as Node[]).includes('--')) throw new XmlError(`"--" inside a comment in <${name}>`);
    } else if (!Object.keys(child).some((k) => k.startsWith('?'))) children.push(toElement(child));
  }
  return { name, attrs, children };
}

export function parseXml(text: string): XmlElement {
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) throw new XmlError(`character ${codePointText(bad[0].codePointAt(0)!)} at offset ${bad.index} is not allowed in XML`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const top = parser.parse(text) as Node[];
  const roots = top.filter((n) => !Object.keys(n).some((k) => k.startsWith('?') || k.startsWith('#')));
  if (roots.length !== 1) throw new XmlError(`${roots.length} root elements, XML has one`);
  // (the parser drops text after the last tag, so that is looked at in the source)
  if (textOfNodes(top).trim() || text.slice(text.lastIndexOf('>') + 1).trim()) throw new XmlError('text outside the root element');
  for (const n of top) if ('#comment' in n && textOfNodes(n['#comment'] as Node[]).includes('--')) throw new XmlError('"--" inside a comment');
  return toElement(roots[0]);
}

/** Every element named `name` in document order (the root included). */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const own = root.name === name ? [root] : [];
  return own.concat(...root.children.map((c) => (typeof c === 'string' ? [] : findAll(c, name))));
}

export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
