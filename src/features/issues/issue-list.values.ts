/**
 * What each column of an issue list shows for an issue: read for a page of rows at once (custom
 * values the viewer may see, spent hours where they may see time, names behind user and version
 * custom fields, file names behind file fields), then written as text by `cellText` for the page and the CSV export alike.
 */
import { customFieldVisibleTo, customValuesOf, issueCustomFieldsForMany, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { attachmentsById } from '#src/features/attachments/index.ts';
import { projectAccessByIds } from '#src/features/projects/index.ts';
import { issueSpentHours, type IssueHours } from '#src/features/time-entries/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from './issue-list.columns.ts';
import { selectPrincipalsByIds, selectVersionNames, type PrincipalRow } from './issue-list.choices.repository.ts';
import type { IssueContext } from './issue.plan.ts';
import type { IssueRow } from './issue.repository.ts';

export interface ListRow {
  readonly issue: IssueRow;
  /** Values of the custom fields that apply to the issue and that the viewer sees, by field id. */
  readonly custom: ReadonlyMap<number, readonly string[]>;
  /** Spent time, where the viewer may see time entries of the issue's project. */
  readonly hours: IssueHours | undefined;
  /** The row's group value (grouped lists). */
  readonly group?: string | null;
}

/** Names behind custom values of the user and version formats. */
export interface ValueNames {
  readonly principals: ReadonlyMap<number, PrincipalRow>;
  readonly versions: ReadonlyMap<number, string>;
  /** File names behind file custom values (absent: no file column). */
  readonly attachments?: ReadonlyMap<number, string>;
}

export interface RowValues {
  readonly rows: ListRow[];
  readonly names: ValueNames;
}

/** The values the columns need for these rows: custom values and spent hours only when a column shows them. */
export async function loadRowValues(ctx: IssueContext, issues: readonly IssueRow[], columns: readonly ListColumn[]): Promise<RowValues> {
  const fields = columns.map((c) => c.field).filter((f): f is CustomFieldDef => f !== undefined);
  const wantsHours = columns.some((c) => c.name === 'spent_hours' || c.name === 'total_spent_hours');
  const [custom, hours] = await Promise.all([
    fields.length > 0 ? visibleCustomValues(ctx, issues, new Set(fields.map((f) => f.id))) : new Map<number, Map<number, string[]>>(),
    wantsHours ? issueSpentHours(ctx.db, ctx.actor, issues) : new Map<number, IssueHours>(),
  ]);
  const userIds = new Set<number>();
  const versionIds = new Set<number>();
  const attachmentIds = new Set<number>();
  const idsOfFormat: Readonly<Record<string, Set<number>>> = { user: userIds, version: versionIds, attachment: attachmentIds };
  for (const field of fields) {
    const ids = idsOfFormat[field.fieldFormat];
    for (const values of custom.values()) {
      for (const value of values.get(field.id) ?? []) {
        if (ids && /^\d{1,9}$/.test(value)) {
          ids.add(Number(value));
        }
      }
    }
  }
  const [principals, versions, attachments] = await Promise.all([
    selectPrincipalsByIds(ctx.db, [...userIds]),
    selectVersionNames(ctx.db, [...versionIds]),
    attachmentIds.size > 0 ? attachmentsById(ctx.db, [...attachmentIds]) : [],
  ]);
  return {
    rows: issues.map((issue) => ({ issue, custom: custom.get(issue.id) ?? new Map(), hours: hours.get(issue.id) })),
    names: {
      principals: new Map(principals.map((p) => [p.id, p])),
      versions: new Map(versions.map((v) => [v.id, v.name])),
      attachments: new Map(attachments.map((a) => [a.id, a.filename])),
    },
  };
}

/** The values of the wanted fields that apply to each issue and that the viewer may see (as the API's custom_fields). */
async function visibleCustomValues(ctx: IssueContext, issues: readonly IssueRow[], wanted: ReadonlySet<number>): Promise<Map<number, Map<number, string[]>>> {
  const out = new Map<number, Map<number, string[]>>();
  if (issues.length === 0) {
    return out;
  }
  const fieldsFor = await issueCustomFieldsForMany(ctx.db, issues.map((r) => ({ projectId: r.project_id, trackerId: r.tracker_id })));
  const applying = (issue: IssueRow) => fieldsFor(issue.project_id, issue.tracker_id).filter((f) => wanted.has(f.id));
  const withFields = issues.filter((issue) => applying(issue).length > 0);
  if (withFields.length === 0) {
    return out;
  }
  const values = await customValuesOf(ctx.db, 'Issue', withFields.map((r) => r.id));
  const restricted = withFields.some((issue) => applying(issue).some((f) => !f.visible));
  const access = restricted ? await projectAccessByIds(ctx.db, [...new Set(withFields.map((r) => r.project_id))]) : undefined;
  for (const issue of withFields) {
    const shown = new Map<number, string[]>();
    for (const field of applying(issue)) {
      if (customFieldVisibleTo(field, ctx.actor, issue.project_id, access?.get(issue.project_id))) {
        shown.set(field.id, values.get(issue.id)?.get(field.id) ?? []);
      }
    }
    out.set(issue.id, shown);
  }
  return out;
}

/** One stored custom value as a person reads it. */
export function customValueText(field: CustomFieldDef, value: string, names: ValueNames, t: Translate, format: Formatter): string {
  switch (field.fieldFormat) {
    case 'bool':
      return value === '1' ? t('general_text_Yes') : value === '0' ? t('general_text_No') : value;
    case 'date':
      return format.date(value);
    case 'enumeration':
      return field.enumerations.find((e) => String(e.id) === value)?.name ?? value;
    case 'attachment':
      return names.attachments?.get(Number(value)) ?? value;
    case 'user': {
      const principal = names.principals.get(Number(value));
      return principal ? (principal.type === 'Group' ? principal.lastname : format.user(principal)) : value;
    }
    case 'version':
      return names.versions.get(Number(value)) ?? value;
    default:
      return value;
  }
}

function hoursText(value: number | null | undefined, format: Formatter): string {
  return value === null || value === undefined ? '' : format.hours(value);
}

/** What a cell of the column shows for the row, as text (links and markup are the view's). */
export function cellText(column: ListColumn, row: ListRow, names: ValueNames, t: Translate, format: Formatter): string {
  const i = row.issue;
  const instant = (text: string | null) => (text ? format.time(new Date(text)) : '');
  switch (column.name) {
    case 'id':
      return String(i.id);
    case 'project':
      return i.project_name;
    case 'tracker':
      return i.tracker_name;
    case 'parent':
      return i.parent_id === null ? '' : `#${i.parent_id}`;
    case 'status':
      return i.status_name;
    case 'priority':
      return i.priority_name;
    case 'subject':
      return i.subject;
    case 'author':
      return i.author_name ?? '';
    case 'assigned_to':
      return i.assigned_to_name ?? '';
    case 'updated_on':
      return instant(i.updated_on);
    case 'created_on':
      return instant(i.created_on);
    case 'closed_on':
      return instant(i.closed_on);
    case 'category':
      return i.category_name ?? '';
    case 'fixed_version':
      return i.fixed_version_name ?? '';
    case 'start_date':
      return format.date(i.start_date);
    case 'due_date':
      return format.date(i.due_date);
    case 'estimated_hours':
      return hoursText(i.estimated_hours, format);
    case 'estimated_remaining_hours':
      return i.estimated_hours === null ? '' : format.hours((i.estimated_hours * (100 - i.done_ratio)) / 100);
    case 'total_estimated_hours':
      return hoursText(i.total_estimated_hours, format);
    case 'spent_hours':
      return row.hours ? format.hours(row.hours.spent) : '';
    case 'total_spent_hours':
      return row.hours ? format.hours(row.hours.total) : '';
    case 'done_ratio':
      return `${i.done_ratio}%`;
    case 'is_private':
      return i.is_private ? t('general_text_Yes') : t('general_text_No');
    case 'description':
      return i.description ?? '';
    default: {
      const field = column.field;
      const values = field ? (row.custom.get(field.id) ?? []).filter((v) => v !== '') : [];
      return field ? values.map((v) => customValueText(field, v, names, t, format)).join(', ') : '';
    }
  }
}
