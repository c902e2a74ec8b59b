/** How each relation type reads from the issue it is seen from (Redmine's IssueRelation::TYPES names). */
import type { MessageKey } from '#src/i18n/index.ts';

export const RELATION_LABELS: Readonly<Record<string, MessageKey>> = {
  relates: 'label_relates_to',
  duplicates: 'label_duplicates',
  duplicated: 'label_duplicated_by',
  blocks: 'label_blocks',
  blocked: 'label_blocked_by',
  precedes: 'label_precedes',
  follows: 'label_follows',
  copied_to: 'label_copied_to',
  copied_from: 'label_copied_from',
};

/** The types in Redmine's order, for the "add a relation" select. */
export const RELATION_TYPES = Object.keys(RELATION_LABELS);
