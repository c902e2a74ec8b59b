/** The catalog keys naming each enumeration type (Redmine's OptionName). */
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';
import type { MessageKey } from '#src/i18n/index.ts';

export const ENUMERATION_TYPE_LABELS: Readonly<Record<EnumerationType, MessageKey>> = {
  IssuePriority: 'enumeration_issue_priorities',
  TimeEntryActivity: 'enumeration_activities',
  DocumentCategory: 'enumeration_doc_categories',
};
