/**
 * The issue's attributes in Redmine's two columns (`div.attributes` > `.splitcontent`, each line
 * `div.<name>.attribute` with `div.label` and `div.value`), custom fields split in halves below the
 * standard ones, and the full-width text fields shown after the description. Pure.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { CustomFieldItem, IssueShowModel } from '../issue-show.loader.ts';
import { CustomValue } from './custom-value.tsx';
import { hoursText, PrincipalLink, ProgressBar } from './issue-format.tsx';

interface Line {
  readonly css: string;
  readonly label: string;
  readonly value: ComponentChildren;
}

function Attribute({ line }: { line: Line }): VNode {
  return (
    <div class={`${line.css} attribute`}>
      <div class="label">{line.label}:</div>
      <div class="value">{line.value}</div>
    </div>
  );
}

function Rows({ left, right }: { left: readonly Line[]; right: readonly Line[] }): VNode {
  return (
    <div class="splitcontent">
      <div class="splitcontentleft">
        {left.map((line) => (
          <Attribute line={line} />
        ))}
      </div>
      <div class="splitcontentright">
        {right.map((line) => (
          <Attribute line={line} />
        ))}
      </div>
    </div>
  );
}

/** Redmine's issue_estimated_hours_details: the issue's own estimate, and the total with subtasks when it differs. */
function estimatedHours(model: IssueShowModel, t: Translate, format: Formatter): ComponentChildren {
  const { estimated_hours: own, total_estimated_hours: total } = model.issue;
  if (total === null || total === own) {
    return own === null ? '-' : hoursText(own, t, format);
  }
  return `${own === null ? '' : hoursText(own, t, format)} (${t('label_total')}: ${hoursText(total, t, format)})`;
}

/** Redmine's issue_spent_hours_details: linked to the issue's time entries. */
function spentHours(model: IssueShowModel, t: Translate, format: Formatter): ComponentChildren {
  const hours = model.hours;
  if (!hours) {
    return null;
  }
  const link = (value: number) => <a href={`/issues/${model.issue.id}/time_entries`}>{hoursText(value, t, format)}</a>;
  if (hours.total === hours.spent) {
    return link(hours.spent);
  }
  return (
    <>
      {hours.spent > 0 ? hoursText(hours.spent, t, format) : ''} ({t('label_total')}: {link(hours.total)})
    </>
  );
}

export function isFullWidth(item: CustomFieldItem): boolean {
  return item.field.fieldFormat === 'text' && item.field.formatStore.full_width_layout === '1';
}

export function IssueAttributes({ model, t, format }: { model: IssueShowModel; t: Translate; format: Formatter }): VNode {
  const { issue, disabled, names } = model;
  const left: Line[] = [
    { css: 'status', label: t('field_status'), value: issue.status_name },
    { css: 'priority', label: t('field_priority'), value: issue.priority_name },
  ];
  if (!disabled.has('assigned_to_id')) {
    left.push({
      css: 'assigned-to',
      label: t('field_assigned_to'),
      value: issue.assigned_to_id === null ? '-' : <PrincipalLink principal={names.principals.get(issue.assigned_to_id)} t={t} format={format} />,
    });
  }
  if (!disabled.has('category_id') && model.showCategory) {
    left.push({ css: 'category', label: t('field_category'), value: issue.category_name ?? '-' });
  }
  if (!disabled.has('fixed_version_id') && model.showVersion) {
    left.push({
      css: 'fixed-version',
      label: t('field_fixed_version'),
      value: issue.fixed_version_id === null ? '-' : <a href={`/versions/${issue.fixed_version_id}`}>{issue.fixed_version_name}</a>,
    });
  }
  const right: Line[] = [];
  if (!disabled.has('start_date')) {
    right.push({ css: 'start-date', label: t('field_start_date'), value: format.date(issue.start_date) });
  }
  if (!disabled.has('due_date')) {
    right.push({ css: 'due-date', label: t('field_due_date'), value: format.date(issue.due_date) });
  }
  if (!disabled.has('done_ratio')) {
    right.push({ css: 'progress', label: t('field_done_ratio'), value: <ProgressBar percent={issue.done_ratio} legend={`${issue.done_ratio}%`} /> });
  }
  if (!disabled.has('estimated_hours')) {
    right.push({ css: 'estimated-hours', label: t('field_estimated_hours'), value: estimatedHours(model, t, format) });
  }
  if (model.hours && model.hours.total > 0) {
    right.push({ css: 'spent-time', label: t('label_spent_time'), value: spentHours(model, t, format) });
  }
  const half = model.customFields.filter((item) => !isFullWidth(item));
  const middle = Math.ceil(half.length / 2);
  const customLine = (item: CustomFieldItem): Line => ({
    css: `${item.field.fieldFormat}_cf cf_${item.field.id}`,
    label: item.field.name,
    value: <CustomValue field={item.field} values={item.values} html={item.html} names={names} t={t} format={format} />,
  });
  return (
    <div class="attributes">
      <Rows left={left} right={right} />
      {half.length > 0 ? <Rows left={half.slice(0, middle).map(customLine)} right={half.slice(middle).map(customLine)} /> : null}
    </div>
  );
}

/** The full-width text fields (Redmine's render_full_width_custom_fields_rows), those with a value. */
export function FullWidthCustomFields({ model, t, format }: { model: IssueShowModel; t: Translate; format: Formatter }): VNode {
  return (
    <>
      {model.customFields
        .filter((item) => isFullWidth(item) && item.values.some((v) => v !== ''))
        .map((item) => (
          <div class={`${item.field.fieldFormat}_cf cf_${item.field.id} attribute`}>
            <hr />
            <p>
              <strong>{item.field.name}</strong>
            </p>
            <div class="value">
              <CustomValue field={item.field} values={item.values} html={item.html} names={model.names} t={t} format={format} />
            </div>
          </div>
        ))}
    </>
  );
}
