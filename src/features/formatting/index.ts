/**
 * Text formatting for pages: Redmine's text (CommonMark or Textile, with its link syntax and macros) →
 * sanitized HTML. The route renders every text of a page in one call before rendering the view,
 * because references (`#123`, `version:"1.0"`, `@login`, `attachment:file.png`) need data: all texts
 * are scanned first, then each kind of record is loaded once for all of them.
 */
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { translator, type Language } from '#src/i18n/index.ts';
import { textFormattingOf } from './markup.ts';
import { loadReferences } from './reference.repository.ts';
import { isEmpty, NO_REFERENCES, scanReferences, type AttachmentReference } from './references.ts';
import { renderFormattedText } from './render.ts';

export { textFormattingOf, type TextFormatting } from './markup.ts';

export interface TextContext {
  readonly db: Database;
  readonly actor: Actor;
  readonly settings: Settings;
  /** The project the texts belong to: `version:"1.0"`, `[[Wiki]]` and `document#1` resolve in it. */
  readonly projectId?: number | undefined;
  /** Attachments of the container (issue, journal…), for `attachment:name` and inline images. */
  readonly attachments?: readonly AttachmentReference[] | undefined;
  /** The page's language, for macro messages (English when absent). */
  readonly lang?: Language | undefined;
}

/** Each text as safe HTML, in the order given ('' for an empty or missing text). */
export async function renderTexts(ctx: TextContext, texts: readonly (string | null | undefined)[]): Promise<string[]> {
  const sources = texts.map((text) => text ?? '');
  if (sources.every((text) => text.trim() === '')) {
    return sources.map(() => '');
  }
  const wanted = scanReferences(sources);
  const { references, project } = isEmpty(wanted)
    ? { references: NO_REFERENCES, project: undefined }
    : await loadReferences({ db: ctx.db, actor: ctx.actor, userFormat: ctx.settings.user_format, projectId: ctx.projectId }, wanted);
  const render = {
    references,
    project,
    attachments: ctx.attachments ?? [],
    format: textFormattingOf(ctx.settings.text_formatting),
    t: translator(ctx.lang ?? 'en'),
  };
  return sources.map((text) => renderFormattedText(text, render));
}
