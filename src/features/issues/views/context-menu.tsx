/**
 * Redmine's right-click menu of issues (context_menus/issues), an HTML fragment the context-menu
 * island loads and shows: edit, status (only transitions the workflow allows for every selected
 * issue), tracker, priority, version, assignee, category, % done, watch, copy (one issue: the issue
 * form; several: the bulk edit form in copy mode), log time, delete.
 * Links marked `data-method="post"` are changes the island posts with the CSRF token. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { BulkChoices } from '../issue-bulk.service.ts';
import { queryString } from '../issue-list.state.ts';

export interface ContextMenuProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly ids: readonly number[];
  readonly choices: BulkChoices;
  /** The one issue selected, with its current values (to mark them). */
  readonly single?:
    | {
        readonly id: number;
        readonly projectIdentifier: string;
        readonly statusId: number;
        readonly trackerId: number;
        readonly priorityId: number;
        readonly assignedToId: number | null;
        readonly fixedVersionId: number | null;
        readonly categoryId: number | null;
        readonly doneRatio: number;
      }
    | undefined;
  readonly can: { readonly copy: boolean; readonly logTime: boolean; readonly watch: boolean };
  readonly watched: boolean;
  readonly backUrl: string;
}

type Current = number | null | undefined;

function updateHref(props: ContextMenuProps, attribute: string, value: string): string {
  const pairs: [string, string][] = [...props.ids.map((id): [string, string] => ['ids[]', String(id)]), [`issue[${attribute}]`, value], ['back_url', props.backUrl]];
  return `/issues/bulk_update?${queryString(pairs)}`;
}

/** One folder of the menu: a submenu of values posted to bulk_update. */
function Folder(props: {
  menu: ContextMenuProps;
  label: string;
  attribute: string;
  items: readonly { value: string; label: string }[];
  current: Current;
  enabled: boolean;
  className: string;
}): VNode | null {
  if (props.items.length === 0) {
    return null;
  }
  return (
    <li class={`folder ${props.className}`} role="none">
      <a href="#" class="submenu" role="menuitem" aria-haspopup="menu" tabindex={-1}>
        {props.label}
      </a>
      <ul role="menu">
        {props.items.map((item) => {
          const selected = props.current !== undefined && String(props.current ?? 'none') === item.value;
          return (
            <li role="none">
              {props.enabled ? (
                <a href={updateHref(props.menu, props.attribute, item.value)} data-method="post" class={selected ? 'icon icon-checked' : undefined} role="menuitem" tabindex={-1} aria-current={selected ? 'true' : undefined}>
                  {item.label}
                </a>
              ) : (
                <span class="disabled" role="menuitem" aria-disabled="true">
                  {item.label}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

export function ContextMenu(props: ContextMenuProps): VNode {
  const { t, choices, single } = props;
  const ids = props.ids.map((id): [string, string] => ['ids[]', String(id)]);
  const none = { value: 'none', label: t('label_none') };
  const edit = choices.canEdit;
  return (
    <ul role="menu" aria-label={t('label_actions')}>
      {single ? (
        <li role="none">
          <a href={`/issues/${single.id}/edit`} class="icon icon-edit" role="menuitem" tabindex={-1}>
            {t('button_edit')}
          </a>
        </li>
      ) : (
        <li role="none">
          <a href={`/issues/bulk_edit?${queryString(ids)}`} class="icon icon-edit" role="menuitem" tabindex={-1}>
            {t('label_query_bulk_edit_selected')}
          </a>
        </li>
      )}
      <Folder menu={props} label={t('field_status')} attribute="status_id" className="status" enabled={choices.statuses.length > 0} current={single?.statusId}
        items={choices.statuses.map((s) => ({ value: String(s.id), label: s.name }))} />
      <Folder menu={props} label={t('field_tracker')} attribute="tracker_id" className="tracker" enabled={edit} current={single?.trackerId}
        items={choices.trackers.map((s) => ({ value: String(s.id), label: s.name }))} />
      <Folder menu={props} label={t('field_priority')} attribute="priority_id" className="priority" enabled={edit} current={single?.priorityId}
        items={choices.priorities.map((s) => ({ value: String(s.id), label: s.name }))} />
      <Folder menu={props} label={t('field_fixed_version')} attribute="fixed_version_id" className="fixed_version" enabled={edit} current={single?.fixedVersionId}
        items={[...choices.versions.map((v) => ({ value: String(v.id), label: v.name })), none]} />
      <Folder menu={props} label={t('field_assigned_to')} attribute="assigned_to_id" className="assigned_to" enabled={edit} current={single?.assignedToId}
        items={[...choices.assignees.map((p) => ({ value: String(p.id), label: p.type === 'Group' ? p.lastname : props.format.user(p) })), none]} />
      {choices.categories ? (
        <Folder menu={props} label={t('field_category')} attribute="category_id" className="category" enabled={edit} current={single?.categoryId}
          items={[...choices.categories.map((c) => ({ value: String(c.id), label: c.name })), none]} />
      ) : null}
      {choices.doneRatio ? (
        <Folder menu={props} label={t('field_done_ratio')} attribute="done_ratio" className="done_ratio" enabled={edit} current={single?.doneRatio}
          items={Array.from({ length: 11 }, (_, i) => ({ value: String(i * 10), label: `${i * 10}%` }))} />
      ) : null}
      {props.can.watch ? (
        <li role="none">
          <a
            href={`/watchers/${props.watched ? 'unwatch' : 'watch'}?${queryString([['object_type', 'issue'], ...props.ids.map((id): [string, string] => ['object_id[]', String(id)]), ['back_url', props.backUrl]])}`}
            data-method="post"
            class={props.watched ? 'icon icon-fav' : 'icon icon-fav-off'}
            role="menuitem"
            tabindex={-1}
          >
            {t(props.watched ? 'button_unwatch' : 'button_watch')}
          </a>
        </li>
      ) : null}
      {props.can.copy ? (
        <li role="none">
          <a
            href={single ? `/projects/${encodeURIComponent(single.projectIdentifier)}/issues/${single.id}/copy` : `/issues/bulk_edit?${queryString([...ids, ['copy', '1']])}`}
            class="icon icon-copy"
            role="menuitem"
            tabindex={-1}
          >
            {t('button_copy')}
          </a>
        </li>
      ) : null}
      {props.can.logTime && single ? (
        <li role="none">
          <a href={`/issues/${single.id}/time_entries/new`} class="icon icon-time-add" role="menuitem" tabindex={-1}>
            {t('button_log_time')}
          </a>
        </li>
      ) : null}
      {choices.canDelete ? (
        <li role="none">
          <a href={`/issues/delete?${queryString([...ids, ['back_url', props.backUrl]])}`} data-method="post" data-confirm={t('text_issues_destroy_confirmation')} class="icon icon-del" role="menuitem" tabindex={-1}>
            {t('button_delete')}
          </a>
        </li>
      ) : null}
    </ul>
  );
}
