/**
 * One change of a journal as Redmine words it (IssuesHelper#show_detail): "Status changed from New to
 * In Progress", "Assignee set to …", "File x.png added", "Due date deleted (…)", "Description updated
 * (diff)". Names come from what the loader looked up; the view only chooses the words. Pure.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { AttachmentRow } from '#src/features/attachments/index.ts';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { NamedKind, Names } from '../issue-page.repository.ts';
import type { IssueRow } from '../issue.repository.ts';
import type { JournalRow } from '../journal.repository.ts';
import { customValueText } from './custom-value.tsx';
import { hoursText, IssueLink, principalName, Sentence } from './issue-format.tsx';
import { RELATION_LABELS } from './relation-labels.ts';

export type Detail = JournalRow['details'][number];

/** What the words of a history need besides the detail itself. */
export interface DetailContext {
  readonly t: Translate;
  readonly format: Formatter;
  readonly names: Names;
  readonly fields: ReadonlyMap<number, CustomFieldDef>;
  /** The issue's attachments (a detail of one still there links to it). */
  readonly attachments: ReadonlyMap<number, AttachmentRow>;
  /** Issues the viewer sees, for relation details. */
  readonly issues: ReadonlyMap<number, IssueRow>;
}

const ATTRIBUTE_LABELS: Readonly<Record<string, MessageKey>> = {
  project_id: 'field_project',
  tracker_id: 'field_tracker',
  subject: 'field_subject',
  description: 'field_description',
  due_date: 'field_due_date',
  category_id: 'field_category',
  status_id: 'field_status',
  assigned_to_id: 'field_assigned_to',
  priority_id: 'field_priority',
  fixed_version_id: 'field_fixed_version',
  author_id: 'field_author',
  start_date: 'field_start_date',
  done_ratio: 'field_done_ratio',
  estimated_hours: 'field_estimated_hours',
  parent_id: 'field_parent_issue',
  child_id: 'label_subtask',
  is_private: 'field_is_private',
};

const NAMED_ATTRIBUTES: Readonly<Record<string, NamedKind | 'principals'>> = {
  project_id: 'projects',
  tracker_id: 'trackers',
  status_id: 'statuses',
  priority_id: 'priorities',
  category_id: 'categories',
  fixed_version_id: 'versions',
  assigned_to_id: 'principals',
  author_id: 'principals',
};

/** How a detail reads: its label, its values as text, and whether it is told as a diff or a list addition. */
interface Wording {
  readonly label: string;
  readonly old?: ComponentChildren;
  readonly value?: ComponentChildren;
  readonly diff?: boolean;
  /** Only "updated", without values (Redmine's change_no_details: file fields). */
  readonly noDetail?: boolean;
  readonly multiple?: boolean;
}

function attributeValue(key: string, value: string | null, ctx: DetailContext): string | undefined {
  if (value === null || value === '') {
    return undefined;
  }
  const { t, format, names } = ctx;
  const kind = NAMED_ATTRIBUTES[key];
  if (kind === 'principals') {
    return names.principals.has(Number(value)) ? principalName(names.principals.get(Number(value)), t, format) : value;
  }
  if (kind !== undefined) {
    return names.named.get(kind)?.get(Number(value)) ?? value;
  }
  switch (key) {
    case 'due_date':
    case 'start_date':
      return format.date(value) || value;
    case 'estimated_hours':
      return Number.isFinite(Number(value)) ? hoursText(Number(value), t, format) : value;
    case 'parent_id':
    case 'child_id':
      return `#${value}`;
    case 'is_private':
      return value === '1' || value === 'true' ? t('general_text_Yes') : t('general_text_No');
    default:
      return value;
  }
}

function relatedIssue(id: string | null, ctx: DetailContext): ComponentChildren {
  if (id === null) {
    return undefined;
  }
  const issue = ctx.issues.get(Number(id));
  return issue ? <IssueLink issue={issue} t={ctx.t} /> : ctx.t('label_issue_ref', { id });
}

function wordingOf(detail: Detail, ctx: DetailContext): Wording {
  const { t, format, names } = ctx;
  switch (detail.property) {
    case 'attr': {
      const key = detail.prop_key;
      const label = ATTRIBUTE_LABELS[key] ? t(ATTRIBUTE_LABELS[key]) : key;
      if (key === 'description') {
        return { label, diff: true };
      }
      return { label, old: attributeValue(key, detail.old_value, ctx), value: attributeValue(key, detail.value, ctx), multiple: key === 'child_id' };
    }
    case 'cf': {
      const field = ctx.fields.get(Number(detail.prop_key));
      if (!field) {
        return { label: detail.prop_key, old: detail.old_value ?? undefined, value: detail.value ?? undefined };
      }
      if (field.fieldFormat === 'text') {
        return { label: field.name, diff: true };
      }
      if (field.fieldFormat === 'attachment') {
        return { label: field.name, noDetail: true };
      }
      const text = (v: string | null) => (v === null || v === '' ? undefined : customValueText(field, v, names, t, format));
      return { label: field.name, old: text(detail.old_value), value: text(detail.value), multiple: field.multiple };
    }
    case 'attachment': {
      const attachment = detail.value !== null ? ctx.attachments.get(Number(detail.prop_key)) : undefined;
      return {
        label: t('label_attachment'),
        old: detail.old_value ?? undefined,
        value: attachment ? <a href={`/attachments/${attachment.id}`}>{attachment.filename}</a> : (detail.value ?? undefined),
      };
    }
    case 'relation': {
      const labelKey = RELATION_LABELS[detail.prop_key];
      return { label: labelKey ? t(labelKey) : detail.prop_key, old: relatedIssue(detail.old_value, ctx), value: relatedIssue(detail.value, ctx) };
    }
    default:
      return { label: detail.prop_key, old: detail.old_value ?? undefined, value: detail.value ?? undefined };
  }
}

/** One `<li>` of a journal's `ul.details`. */
export function JournalDetailLine({ detail, journalId, ctx }: { detail: Detail; journalId: number; ctx: DetailContext }): VNode {
  const { t } = ctx;
  const w = wordingOf(detail, ctx);
  const label = <strong>{w.label}</strong>;
  if (w.noDetail) {
    return (
      <li>
        <Sentence t={t} k="text_journal_changed_no_detail" parts={{ label }} />
      </li>
    );
  }
  if (w.diff) {
    return (
      <li>
        <Sentence t={t} k="text_journal_changed_no_detail" parts={{ label }} />{' '}
        (<a href={`/journals/${journalId}/diff?detail_id=${detail.id}`} title={t('label_view_diff')}>{t('label_diff')}</a>)
      </li>
    );
  }
  const value = w.value !== undefined ? detail.property === 'attachment' && typeof w.value !== 'string' ? w.value : <i>{w.value}</i> : undefined;
  const old = w.old !== undefined ? <i>{w.old}</i> : undefined;
  const valuePresent = detail.value !== null && detail.value !== '';
  let sentence: VNode;
  if (valuePresent && (detail.property === 'attr' || detail.property === 'cf')) {
    sentence =
      detail.old_value !== null && detail.old_value !== '' ? (
        <Sentence t={t} k="text_journal_changed" parts={{ label, old, new: value }} />
      ) : (
        <Sentence t={t} k={w.multiple ? 'text_journal_added' : 'text_journal_set_to'} parts={{ label, value }} />
      );
  } else if (valuePresent) {
    sentence = <Sentence t={t} k="text_journal_added" parts={{ label, value }} />;
  } else {
    // A removed value is struck through, except a relation's other issue.
    sentence = <Sentence t={t} k="text_journal_deleted" parts={{ label, old: detail.property === 'relation' ? old : <del>{old}</del> }} />;
  }
  return <li>{sentence}</li>;
}
