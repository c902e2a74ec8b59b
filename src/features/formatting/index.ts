/**
 * Text formatting for pages: Redmine's text (CommonMark or Textile, with its link syntax) → sanitized
 * HTML. The route renders every text of a page in one call before rendering the view, because
 * references (`#123`, `version:"1.0"`, `@login`, `attachment:file.png`) need data.
 *
 * PLACEHOLDER until the formatting work lands: escapes and keeps line breaks only.
 */
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import type { Settings } from '#src/features/settings/index.ts';

export interface TextContext {
  readonly db: Database;
  readonly actor: Actor;
  readonly settings: Settings;
  /** The project the texts belong to: `version:"1.0"`, `[[Wiki]]` and `document#1` resolve in it. */
  readonly projectId?: number | undefined;
  /** Attachments of the container (issue, journal…), for `attachment:name` and inline images. */
  readonly attachments?: readonly { readonly id: number; readonly filename: string; readonly contentType?: string | null }[] | undefined;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Each text as safe HTML, in the order given. */
export async function renderTexts(_ctx: TextContext, texts: readonly (string | null | undefined)[]): Promise<string[]> {
  return texts.map((text) =>
    (text ?? '')
      .split(/\r?\n\r?\n/)
      .filter((block) => block.trim() !== '')
      .map((block) => `<p>${block.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/\r?\n/g, '<br>')}</p>`)
      .join('\n'),
  );
}
