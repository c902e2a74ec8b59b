/**
 * The small HTML toolkit the formatting pipeline needs between the markup converters and the
 * sanitizer: escaping, decoding entities of text nodes, and splitting HTML into tags and text. It only
 * has to read what markdown-it / textile-js wrote (plus raw HTML from the text, which the sanitizer
 * cleans afterwards), so a tokenizer suffices where a parser would be overkill.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The characters an HTML text node stands for (numeric references and the common named ones). */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

export type HtmlToken =
  | { readonly kind: 'text'; readonly raw: string }
  | { readonly kind: 'tag'; readonly raw: string; readonly name: string; readonly closing: boolean }
  | { readonly kind: 'other'; readonly raw: string };

// Comments, declarations, and tags whose quoted attribute values may hold `>`.
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<![^>]*>?|<\/?([A-Za-z][A-Za-z0-9-]*)(?:"[^"]*"|'[^']*'|[^'">])*>/g;

/** HTML as a flat list of text runs, tags and comments, in order (their raws join back to the input). */
export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    if (match.index > last) {
      tokens.push({ kind: 'text', raw: html.slice(last, match.index) });
    }
    const raw = match[0];
    const name = match[1];
    tokens.push(name ? { kind: 'tag', raw, name: name.toLowerCase(), closing: raw.startsWith('</') } : { kind: 'other', raw });
    last = match.index + raw.length;
  }
  if (last < html.length) {
    tokens.push({ kind: 'text', raw: html.slice(last) });
  }
  return tokens;
}

/** The text of an HTML fragment without its tags, entities decoded. */
export function textOf(html: string): string {
  return decodeEntities(
    tokenizeHtml(html)
      .filter((t) => t.kind === 'text')
      .map((t) => t.raw)
      .join(''),
  );
}
