// Escaping for every report format. Everything that came from the endpoint under test (bodies, headers,
// error messages) is hostile: it goes into HTML, SVG and XML only through these functions.

/** Text content and attribute values in HTML/SVG (double- or single-quoted attributes alike). */
export function escapeHtml(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  let out = '';
  for (const ch of text) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&#39;';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** True for the code points XML 1.0 allows in a document. */
function xmlAllowed(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Text for XML 1.0 (element content or a double-quoted attribute): markup characters escaped and
 * characters XML forbids (control characters, lone surrogates, U+FFFE/U+FFFF) shown as `\uXXXX`
 * so that nothing is lost and the document stays well-formed. In attributes, line breaks and tabs are
 * kept as character references (a parser would normalise them to spaces otherwise).
 */
export function escapeXml(value: unknown, attribute = false): string {
  const text = value === undefined || value === null ? '' : String(value);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Surrogate pairs: keep well-formed pairs, mark lone halves.
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else {
        out += `\\u${code.toString(16).toUpperCase()}`;
      }
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      out += `\\u${code.toString(16).toUpperCase()}`;
      continue;
    }
    const ch = text[i];
    if (!xmlAllowed(code)) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
      continue;
    }
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (attribute && ch === '\n') out += '&#10;';
    else if (attribute && ch === '\r') out += '&#13;';
    else if (attribute && ch === '\t') out += '&#9;';
    else if (!attribute && ch === '\r') out += '&#13;';
    else out += ch;
  }
  return out;
}

/** A safe fragment id from a check id (ids are dotted words, but never trust input). */
export function anchorId(prefix: string, id: string): string {
  let out = '';
  for (const ch of id) out += /[A-Za-z0-9_.-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}`;
  return `${prefix}-${out}`;
}
