/**
 * The issues table (Redmine's `table.list.issues`): a checkbox per row for bulk actions and the
 * context menu, the id, the chosen columns with sort links, group rows with counts and totals, block
 * columns (description) under their row, and a "…" button opening the context menu. Row classes are
 * Redmine's (`issue tracker-1 status-2 priority-4 priority-default closed overdue …`) so themes colour
 * rows. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from '../issue-list.columns.ts';
import type { GroupTotals } from '../issue-list.repository.ts';
import { cellText, type ListRow, type ValueNames } from '../issue-list.values.ts';
import type { SortCriteria } from '../issue-list.state.ts';
import { labelText } from './query-filters.tsx';

export interface IssueTableProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly rows: readonly ListRow[];
  readonly names: ValueNames;
  readonly inline: readonly ListColumn[];
  readonly block: readonly ListColumn[];
  /** Descriptions as safe HTML, by issue id. */
  readonly descriptions: ReadonlyMap<number, string>;
  readonly sort: SortCriteria;
  /** The URL of the list sorted by a column (undefined: not sortable). */
  readonly sortHref: (column: ListColumn | 'id') => string | undefined;
  readonly groupColumn: ListColumn | undefined;
  readonly groups: ReadonlyMap<string | null, GroupTotals>;
  readonly totalColumns: readonly ListColumn[];
  readonly priorityClasses: ReadonlyMap<number, string>;
  readonly today: string;
  readonly userId: number | undefined;
  readonly groupIds: ReadonlySet<number>;
}

/** Redmine's Issue#css_classes. */
export function issueClasses(row: ListRow, props: Pick<IssueTableProps, 'priorityClasses' | 'today' | 'userId' | 'groupIds'>): string {
  const i = row.issue;
  const classes = ['issue', `tracker-${i.tracker_id}`, `status-${i.status_id}`, props.priorityClasses.get(i.priority_id) ?? `priority-${i.priority_id}`];
  if (i.status_is_closed) {
    classes.push('closed');
  }
  if (i.due_date !== null && i.due_date < props.today && !i.status_is_closed) {
    classes.push('overdue');
  }
  if (i.parent_id !== null) {
    classes.push('child');
  }
  if (i.is_private) {
    classes.push('private');
  }
  if (props.userId !== undefined) {
    if (i.author_id === props.userId) {
      classes.push('created-by-me');
    }
    if (i.assigned_to_id === props.userId) {
      classes.push('assigned-to-me');
    }
    if (i.assigned_to_id !== null && props.groupIds.has(i.assigned_to_id)) {
      classes.push('assigned-to-my-group');
    }
  }
  return classes.join(' ');
}

function Header({ column, props }: { column: ListColumn | 'id'; props: IssueTableProps }): VNode {
  const { t } = props;
  const key = column === 'id' ? 'id' : column.sortKey;
  const label = column === 'id' ? '#' : labelText(t, column.label);
  const href = props.sortHref(column);
  const [first] = props.sort;
  const current = first && first[0] === key ? first[1] : undefined;
  const name = column === 'id' ? 'id' : column.name.replace(/\./g, '-');
  return (
    <th class={name} title={current ? t(current === 'asc' ? 'label_query_sort_asc' : 'label_query_sort_desc') : undefined} aria-sort={current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : undefined}>
      {href ? (
        <a href={href} class={current ? `sort ${current}` : undefined}>
          {label}
        </a>
      ) : (
        label
      )}
    </th>
  );
}

function Cell({ column, row, props }: { column: ListColumn; row: ListRow; props: IssueTableProps }): VNode {
  const i = row.issue;
  const text = cellText(column, row, props.names, props.t, props.format);
  const name = column.name.replace(/\./g, '-');
  switch (column.name) {
    case 'subject':
      return (
        <td class="subject">
          <a href={`/issues/${i.id}`}>{i.subject}</a>
        </td>
      );
    case 'parent':
      return <td class="parent">{i.parent_id === null ? '' : <a href={`/issues/${i.parent_id}`}>{text}</a>}</td>;
    case 'project':
      return (
        <td class="project">
          <a href={`/projects/${i.project_id}`}>{text}</a>
        </td>
      );
    case 'assigned_to':
    case 'author': {
      const id = column.name === 'author' ? i.author_id : i.assigned_to_id;
      return <td class={name}>{id === null || text === '' ? '' : <a href={`/users/${id}`} class="user active">{text}</a>}</td>;
    }
    case 'done_ratio':
      return (
        <td class="done_ratio">
          <span class="progress" role="progressbar" aria-valuenow={i.done_ratio} aria-valuemin={0} aria-valuemax={100} title={text}>
            <span class="closed" style={`width: ${i.done_ratio}%`} />
          </span>{' '}
          <span class="percent">{text}</span>
        </td>
      );
    default:
      return <td class={column.field ? `${name} ${column.field.fieldFormat}` : name}>{text}</td>;
  }
}

function groupLabel(props: IssueTableProps, row: ListRow): string {
  const column = props.groupColumn;
  if (!column) {
    return '';
  }
  const text = cellText(column, row, props.names, props.t, props.format);
  return text === '' ? props.t('label_none') : text;
}

function GroupRow({ row, props, colspan }: { row: ListRow; props: IssueTableProps; colspan: number }): VNode {
  const group = props.groups.get(row.group ?? null);
  return (
    <tr class="group open">
      <td colspan={colspan}>
        <span class="name">{groupLabel(props, row)}</span> <span class="badge badge-count count">{group?.count ?? 0}</span>{' '}
        <span class="totals">
          {props.totalColumns.map((c) => (
            <span class={`total-for-${c.name}`}>
              {labelText(props.t, c.label)}: <span class="value">{totalText(c, group?.totals.get(c.name) ?? 0, props.format)}</span>{' '}
            </span>
          ))}
        </span>
      </td>
    </tr>
  );
}

/** A total as the column writes its values (hours as hours). */
export function totalText(column: ListColumn, value: number, format: Formatter): string {
  if (column.field) {
    return column.field.fieldFormat === 'int' ? String(Math.round(value)) : value.toFixed(2);
  }
  return format.hours(value);
}

export function IssueTable(props: IssueTableProps): VNode {
  const { t, rows } = props;
  const colspan = props.inline.length + 3;
  let previousGroup: string | null | undefined;
  return (
    <div class="autoscroll">
      <table class="list issues odd-even">
        <thead>
          <tr>
            <th class="checkbox hide-when-print">
              <input type="checkbox" data-check-all="ids[]" title={`${t('button_check_all')}/${t('button_uncheck_all')}`} aria-label={t('button_check_all')} />
            </th>
            <Header column="id" props={props} />
            {props.inline.map((column) => (
              <Header column={column} props={props} />
            ))}
            <th class="buttons hide-when-print">
              <span class="visually-hidden">{t('label_query_actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const newGroup = props.groupColumn !== undefined && row.group !== previousGroup;
            previousGroup = row.group;
            const parity = index % 2 === 0 ? 'odd' : 'even';
            const i = row.issue;
            const description = props.block.length > 0 ? props.descriptions.get(i.id) : undefined;
            return (
              <>
                {newGroup ? <GroupRow row={row} props={props} colspan={colspan} /> : null}
                <tr id={`issue-${i.id}`} class={`hascontextmenu ${parity} ${issueClasses(row, props)}`}>
                  <td class="checkbox hide-when-print">
                    <input type="checkbox" name="ids[]" value={String(i.id)} aria-label={`#${i.id}`} />
                  </td>
                  <td class="id">
                    <a href={`/issues/${i.id}`}>{i.id}</a>
                  </td>
                  {props.inline.map((column) => (
                    <Cell column={column} row={row} props={props} />
                  ))}
                  <td class="buttons hide-when-print">
                    <button type="button" class="icon-only icon-actions js-contextmenu" title={t('label_query_actions')} aria-label={t('label_query_actions')} aria-haspopup="menu">
                      …
                    </button>
                  </td>
                </tr>
                {description ? (
                  <tr class={`${parity} issue more description-row`}>
                    <td colspan={colspan} class="description">
                      <div class="wiki" dangerouslySetInnerHTML={{ __html: description }} />
                    </td>
                  </tr>
                ) : null}
              </>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
