/**
 * Redmine's macros: `{{toc}}` (also `{{>toc}}`, `{{<toc}}`), `{{collapse(Show, Hide)` … `}}`,
 * `{{thumbnail(file.png, size=300, title=…)}}`; `!{{…}}` keeps one as text, and an unknown one shows an
 * error. As in Redmine, macros are taken out of the text before the markup is converted (each becomes
 * `{{macro(N)}}`), and their output is put back afterwards — except inside code, where the text as
 * written comes back. Every argument is escaped in the output.
 */
import type { Translate } from '#src/i18n/index.ts';
import { escapeHtml } from './html-text.ts';
import { downloadPath, findAttachment } from './redmine-links.ts';
import type { AttachmentReference } from './references.ts';

export interface Macro {
  /** As written, including a leading `!`. */
  readonly source: string;
  readonly escaped: boolean;
  /** Lower-case. */
  readonly name: string;
  readonly args: string;
  /** The lines between the first line and the closing `}}`, for block macros. */
  readonly body: string | undefined;
  /** `<` or `>` before `toc`. */
  readonly align: string;
}

// The syntax of Redmine's macros: optional `!`, `{{name`, optional `(args)` on the same line, an
// optional block of lines, `}}`.
const MACRO = /(!)?\{\{([<>]?)(\w+)(?:\(([^\n]*?)\))?(\n[\s\S]*?\n)?\}\}/g;
export const PLACEHOLDER = /\{\{macro\((\d+)\)\}\}/g;
/** Markers the toc macro leaves for the end of the pipeline; never in user text (stripped on entry). */
export const TOC_MARK = /\uE000toc([<>]?)\uE001/g;

/** The text with each macro replaced by `{{macro(N)}}`, and the macros by N. */
export function extractMacros(text: string): { text: string; macros: Macro[] } {
  const macros: Macro[] = [];
  const replaced = text.replace(MACRO, (source: string, bang: string | undefined, align: string, name: string, args: string | undefined, body: string | undefined) => {
    macros.push({ source, escaped: bang !== undefined, name: name.toLowerCase(), args: args ?? '', body: body?.slice(1, -1), align });
    return `{{macro(${macros.length - 1})}}`;
  });
  return { text: replaced, macros };
}

export interface MacroContext {
  readonly t: Translate;
  readonly attachments: readonly AttachmentReference[];
  /** The body of a block macro rendered like the text around it. */
  readonly renderBody: (body: string) => string;
}

export interface MacroOutput {
  readonly html: string;
  /** A block element: replaces the paragraph the placeholder stands alone in. */
  readonly block: boolean;
}

function error(ctx: MacroContext, name: string, message: string): MacroOutput {
  return { html: `<span class="macro-error">${escapeHtml(ctx.t('text_macro_execution_error', { name, message }))}</span>`, block: false };
}

/** `a, key=value, b` → positional arguments and options (Redmine's extract_macro_options). */
function parseArgs(args: string): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (const part of args.split(',').map((p) => p.trim())) {
    const option = /^(\w+)=(.*)$/.exec(part);
    if (option) {
      options.set(option[1]!.toLowerCase(), option[2]!.trim());
    } else if (part !== '') {
      positional.push(part);
    }
  }
  return { positional, options };
}

function collapse(macro: Macro, ctx: MacroContext): MacroOutput {
  const [show] = macro.args.split(',').map((p) => p.trim());
  const label = show || ctx.t('button_show');
  const body = macro.body === undefined ? '' : ctx.renderBody(macro.body);
  return { html: `<details class="collapsible"><summary>${escapeHtml(label)}</summary><div class="collapsed-text">${body}</div></details>`, block: true };
}

function thumbnail(macro: Macro, ctx: MacroContext): MacroOutput {
  const { positional, options } = parseArgs(macro.args);
  const filename = positional[0];
  if (!filename) {
    return error(ctx, macro.name, ctx.t('text_macro_filename_missing'));
  }
  const attachment = findAttachment(ctx.attachments, filename);
  if (!attachment) {
    return error(ctx, macro.name, ctx.t('text_macro_attachment_not_found', { name: filename }));
  }
  const size = /^\d{1,4}$/.exec(options.get('size') ?? '')?.[0];
  const title = options.get('title') ?? attachment.filename;
  const src = `/attachments/thumbnail/${attachment.id}${size ? `/${size}` : ''}`;
  return {
    html: `<a href="${escapeHtml(downloadPath(attachment))}" class="thumbnail" title="${escapeHtml(title)}"><img src="${escapeHtml(src)}" alt="${escapeHtml(attachment.filename)}"></a>`,
    block: false,
  };
}

/** What a macro shows. */
export function renderMacro(macro: Macro, ctx: MacroContext): MacroOutput {
  if (macro.escaped) {
    return { html: escapeHtml(macro.source.slice(1)), block: false };
  }
  if (macro.align !== '' && macro.name !== 'toc') {
    return { html: escapeHtml(macro.source), block: false };
  }
  switch (macro.name) {
    case 'toc':
      return { html: `<p>\uE000toc${macro.align}\uE001</p>`, block: true };
    case 'collapse':
      return collapse(macro, ctx);
    case 'thumbnail':
      return thumbnail(macro, ctx);
    default:
      return error(ctx, macro.name, ctx.t('text_macro_unknown'));
  }
}

const OPEN_PARAGRAPH = /<p[\s>]/g;

/** Is `offset` inside a paragraph (after a `<p>` not closed yet)? */
function insideParagraph(html: string, offset: number): boolean {
  let lastOpen = -1;
  for (const m of html.slice(0, offset).matchAll(OPEN_PARAGRAPH)) {
    lastOpen = m.index;
  }
  return lastOpen > html.lastIndexOf('</p>', offset);
}

/**
 * Puts each macro's output where its placeholder is. A block (toc, collapse) alone in a paragraph
 * takes the paragraph's place; one inside a paragraph splits it, dropping the line breaks around it.
 */
export function injectMacros(html: string, macros: readonly Macro[], ctx: MacroContext): string {
  const injected = html.replace(PLACEHOLDER, (whole, index: string, offset: number) => {
    const macro = macros[Number(index)];
    if (!macro) {
      return '';
    }
    const out = renderMacro(macro, ctx);
    return out.block && insideParagraph(html, offset) ? `\uE002</p>${out.html}<p>\uE003` : out.html;
  });
  if (!injected.includes('\uE002')) {
    return injected;
  }
  return injected
    .replace(/(?:<br\s*\/?>\s*)*\uE002/g, '')
    .replace(/\uE003(?:\s*<br\s*\/?>)*\s*/g, '')
    .replace(/<p>\s*<\/p>\n?/g, '');
}
