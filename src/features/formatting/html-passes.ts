/**
 * The passes over converted HTML, in Redmine's order: links in text nodes (not inside links, code or
 * pre), inline images resolved to the container's attachments, macro placeholders restored where they
 * must stay text; then, over the whole document, anchors on headings and the table of contents.
 */
import { decodeEntities, escapeHtml, textOf, tokenizeHtml } from './html-text.ts';
import { PLACEHOLDER, TOC_MARK, type Macro } from './macros.ts';
import { anchorName, downloadPath, findAttachment, linkText, type LinkContext } from './redmine-links.ts';

/** Text inside these is never linked (and macros inside code stay as written). */
const NO_LINKS = new Set(['a', 'pre', 'code', 'kbd', 'script', 'style', 'textarea', 'title']);
const CODE = new Set(['pre', 'code', 'kbd']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

const SRC = /(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)/i;

/** `<img src="name.png">` naming an attachment of the container → its download URL. */
function resolveImage(raw: string, ctx: LinkContext): string {
  const match = SRC.exec(raw);
  if (!match) {
    return raw;
  }
  const quoted = match[2]!;
  const value = decodeEntities(quoted.startsWith('"') || quoted.startsWith("'") ? quoted.slice(1, -1) : quoted).trim();
  if (!/^[^/:?#\\]+$/.test(value)) {
    return raw;
  }
  let name = value;
  try {
    name = decodeURIComponent(value);
  } catch {
    // Not percent-encoded: the name as it is.
  }
  const attachment = findAttachment(ctx.attachments, name);
  if (!attachment) {
    return raw;
  }
  return raw.replace(SRC, `$1"${escapeHtml(downloadPath(attachment))}" loading="lazy"`);
}

function restoreMacros(html: string, macros: readonly Macro[]): string {
  return html.replace(PLACEHOLDER, (whole, index: string) => escapeHtml(macros[Number(index)]?.source ?? ''));
}

/** Links, inline images and macros-as-text over converted HTML (placeholders outside code are left for injectMacros). */
export function linkDocument(html: string, ctx: LinkContext, macros: readonly Macro[]): string {
  const open = new Map<string, number>();
  const inside = (names: ReadonlySet<string>) => [...names].some((name) => (open.get(name) ?? 0) > 0);
  let out = '';
  for (const token of tokenizeHtml(html)) {
    switch (token.kind) {
      case 'tag': {
        if (NO_LINKS.has(token.name) && !VOID.has(token.name) && !token.raw.endsWith('/>')) {
          open.set(token.name, Math.max(0, (open.get(token.name) ?? 0) + (token.closing ? -1 : 1)));
        }
        const raw = token.name === 'img' && !token.closing ? resolveImage(token.raw, ctx) : token.raw;
        out += restoreMacros(raw, macros);
        break;
      }
      case 'text':
        if (inside(CODE)) {
          out += restoreMacros(token.raw, macros);
        } else if (inside(NO_LINKS)) {
          out += token.raw;
        } else {
          let last = 0;
          const raw = token.raw;
          for (const m of raw.matchAll(PLACEHOLDER)) {
            out += linkText(decodeEntities(raw.slice(last, m.index)), ctx) + m[0];
            last = m.index + m[0].length;
          }
          out += linkText(decodeEntities(raw.slice(last)), ctx);
        }
        break;
      case 'other':
        out += token.raw;
        break;
    }
  }
  return out;
}

interface Heading {
  readonly level: number;
  readonly anchor: string;
  readonly text: string;
}

/** Ids of the page layout a heading's anchor must not take. */
const LAYOUT_IDS = ['top-menu', 'header', 'main-menu', 'main', 'sidebar', 'content', 'footer', 'wrapper', 'quick-search', 'q', 'loggedas', 'account', 'flash_notice', 'flash_error', 'errorExplanation', 'history', 'relations'];

const HEADING = /<h([1-6])((?:\s(?:"[^"]*"|'[^']*'|[^'">])*)?)>([\s\S]*?)<\/h\1\s*>/gi;
const ID_ATTRIBUTE = /\sid\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)/gi;

/** Redmine's table of contents (levels 1 to 4) as nested lists. */
function tocHtml(headings: readonly Heading[], align: string): string {
  const shown = headings.filter((h) => h.level <= 4);
  if (shown.length === 0) {
    return '';
  }
  const root = Math.min(...shown.map((h) => h.level));
  let current = root;
  let html = `<ul class="toc${align === '>' ? ' right' : align === '<' ? ' left' : ''}"><li>`;
  shown.forEach((heading, i) => {
    if (heading.level > current) {
      html += '<ul><li>'.repeat(heading.level - current);
    } else if (heading.level < current) {
      html += '</li></ul>'.repeat(current - heading.level) + '</li><li>';
    } else if (i > 0) {
      html += '</li><li>';
    }
    html += `<a href="#${escapeHtml(heading.anchor)}">${escapeHtml(heading.text)}</a>`;
    current = heading.level;
  });
  return html + '</li></ul>'.repeat(current - root) + '</li></ul>';
}

/** Ids and `¶` links on headings (unique in the text, never a layout id), then the `{{toc}}` lists. */
export function finishDocument(html: string): string {
  const used = new Map<string, number>(LAYOUT_IDS.map((id) => [id, 1]));
  const headings: Heading[] = [];
  const withAnchors = html.replace(HEADING, (whole, level: string, attributes: string, content: string) => {
    const text = textOf(content).trim();
    let anchor = anchorName(text);
    if (anchor === '') {
      return `<h${level}${attributes.replace(ID_ATTRIBUTE, '')}>${content}</h${level}>`;
    }
    const seen = (used.get(anchor) ?? 0) + 1;
    used.set(anchor, seen);
    if (seen > 1) {
      anchor = `${anchor}-${seen}`;
      used.set(anchor, (used.get(anchor) ?? 0) + 1);
    }
    headings.push({ level: Number(level), anchor, text });
    const id = escapeHtml(anchor);
    return `<h${level} id="${id}"${attributes.replace(ID_ATTRIBUTE, '')}>${content}<a href="#${id}" class="wiki-anchor">&para;</a></h${level}>`;
  });
  if (!withAnchors.includes('\uE000')) {
    return withAnchors;
  }
  return withAnchors.replace(/<p>\s*\uE000toc([<>]?)\uE001\s*<\/p>/g, (whole, align: string) => tocHtml(headings, align)).replace(TOC_MARK, '');
}
