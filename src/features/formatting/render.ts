/**
 * One text → safe HTML, without any I/O: macros out, markup → HTML, Redmine's links in text nodes,
 * macros back in (a collapse's body rendered the same way), heading anchors and the table of contents,
 * and last the sanitizer. Everything the links need was loaded beforehand (references).
 */
import type { Translate } from '#src/i18n/index.ts';
import { finishDocument, linkDocument } from './html-passes.ts';
import { escapeHtml } from './html-text.ts';
import { extractMacros, injectMacros } from './macros.ts';
import { markupToHtml, type TextFormatting } from './markup.ts';
import type { LinkContext } from './redmine-links.ts';
import { sanitizeWikiHtml } from './sanitize.ts';

export interface RenderContext extends LinkContext {
  readonly format: TextFormatting;
  readonly t: Translate;
}

/** Collapses inside collapses render their bodies to this depth; deeper ones show their text. */
const MAX_DEPTH = 4;

function renderFragment(text: string, ctx: RenderContext, depth: number): string {
  const { text: withPlaceholders, macros } = extractMacros(text);
  const html = linkDocument(markupToHtml(withPlaceholders, ctx.format), ctx, macros);
  return injectMacros(html, macros, {
    t: ctx.t,
    attachments: ctx.attachments,
    renderBody: (body) => (depth < MAX_DEPTH ? renderFragment(body, ctx, depth + 1) : `<p>${escapeHtml(body)}</p>`),
  });
}

/** The text as sanitized HTML ('' for an empty text). */
export function renderFormattedText(text: string, ctx: RenderContext): string {
  // Forms send CRLF; the pipeline's own markers are private-use characters: none may come from the text.
  const clean = text.replace(/\r\n?/g, '\n').replace(/[\uE000-\uE003]/g, '');
  if (clean.trim() === '') {
    return '';
  }
  return sanitizeWikiHtml(finishDocument(renderFragment(clean, ctx, 0)));
}
