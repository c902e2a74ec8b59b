/** Catalog keys naming custom field classes (Redmine's tab labels) and formats. */
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import type { MessageKey } from '#src/i18n/index.ts';

export const CUSTOM_FIELD_TYPE_LABELS: Readonly<Record<CustomFieldType, MessageKey>> = {
  IssueCustomField: 'label_issue_plural',
  TimeEntryCustomField: 'label_spent_time',
  ProjectCustomField: 'label_project_plural',
  VersionCustomField: 'label_version_plural',
  DocumentCustomField: 'label_document_plural',
  UserCustomField: 'label_user_plural',
  GroupCustomField: 'label_group_plural',
  TimeEntryActivityCustomField: 'enumeration_activities',
  IssuePriorityCustomField: 'enumeration_issue_priorities',
  DocumentCategoryCustomField: 'enumeration_doc_categories',
};

const FORMAT_LABELS: Readonly<Record<string, MessageKey>> = {
  string: 'label_string',
  text: 'label_text',
  link: 'label_link',
  int: 'label_integer',
  float: 'label_float',
  date: 'label_date',
  list: 'label_list',
  bool: 'label_boolean',
  user: 'label_user',
  version: 'label_version',
  enumeration: 'label_enumeration',
  attachment: 'label_attachment',
};

/** The label of a format; a format the catalog does not know (a plugin's) shows its name. */
export function formatLabelKey(format: string): MessageKey | undefined {
  return FORMAT_LABELS[format];
}
