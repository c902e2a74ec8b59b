/**
 * Issues in the quick search (Redmine's SearchController over Issue's acts_as_searchable): the words
 * of a question, and the condition an issue meets when its subject, description or a note the actor
 * may read contains them — all of the words, or any. Visibility is the caller's (visibleIssuesCondition).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '#src/domain/authorization.ts';
import { issueFilterCatalogue } from './issue-filter.model.ts';
import { searchTokens } from './issue-filter.operators.ts';
import { issueFilterCondition } from './issue-filter.sql.ts';

/** Redmine's search tokens: quoted phrases or words of two characters or more (one for Han), at most five. */
export function searchWordsOf(question: string): string[] {
  const trimmed = question.trim();
  return trimmed === '' ? [] : searchTokens(trimmed).filter((token) => token.trim() !== '');
}

/** `#123` or `123`: the issue the question names. */
export function issueIdOfQuestion(question: string): number | undefined {
  const match = /^#?(\d{1,9})$/.exec(question.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * The issues whose subject, description (unless `titlesOnly`) or visible notes contain each word
 * (`allWords`) or some word. Every word is a bound parameter.
 */
export function issueSearchCondition(actor: Actor, words: readonly string[], options: { allWords: boolean; titlesOnly: boolean }): SQL {
  if (words.length === 0) {
    return sql`FALSE`;
  }
  const catalogue = issueFilterCatalogue();
  const fields = options.titlesOnly ? ['subject'] : ['subject', 'description', 'notes'];
  const today = new Date().toISOString().slice(0, 10);
  const perWord = words.map((word) => {
    // A phrase stays one token when quoted again.
    const value = /\s/.test(word) ? `"${word}"` : word;
    const parts = fields.map((field) => {
      const spec = catalogue.get(field);
      return (spec && issueFilterCondition({ field, operator: '~', values: [value] }, spec, { actor, today })) ?? sql`FALSE`;
    });
    return sql`(${sql.join(parts, sql` OR `)})`;
  });
  return sql`(${sql.join(perWord, options.allWords ? sql` AND ` : sql` OR `)})`;
}
