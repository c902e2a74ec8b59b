/** The trackers list (Redmine's trackers/index): name, default status, description, a warning when no workflow exists. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { DeleteButton, ReorderButtons } from '#src/views/list-buttons.tsx';
import type { TrackerListRow } from '../tracker.repository.ts';

export function TrackersList({ t, csrfToken, trackers }: { t: Translate; csrfToken: string; trackers: readonly TrackerListRow[] }): VNode {
  return (
    <>
      <div class="contextual">
        <a href="/trackers/new" class="icon icon-add">
          {t('label_tracker_new')}
        </a>{' '}
        <a href="/trackers/fields" class="icon icon-summary">
          {t('field_summary')}
        </a>
      </div>
      <h2>{t('label_tracker_plural')}</h2>
      <table class="list trackers">
        <thead>
          <tr>
            <th>{t('label_tracker')}</th>
            <th>{t('field_default_status')}</th>
            <th>{t('field_description')}</th>
            <th></th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {trackers.map((tracker, i) => (
            <tr id={`tracker-${tracker.id}`}>
              <td class="name">
                <a href={`/trackers/${tracker.id}/edit`}>{tracker.name}</a>
              </td>
              <td>{tracker.default_status_name ?? ''}</td>
              <td class="description">{tracker.description ?? ''}</td>
              <td>
                {tracker.has_workflow ? null : (
                  <span class="icon icon-warning">
                    {t('text_tracker_no_workflow')} (<a href={`/workflows/edit?tracker_id[]=${tracker.id}`}>{t('button_edit')}</a>)
                  </span>
                )}
              </td>
              <td class="buttons">
                <ReorderButtons t={t} csrfToken={csrfToken} action={`/trackers/${tracker.id}`} param="tracker" index={i + 1} count={trackers.length} />
                <a href={`/trackers/new?copy=${tracker.id}`} class="icon icon-copy">
                  {t('button_copy')}
                </a>
                <DeleteButton t={t} csrfToken={csrfToken} action={`/trackers/${tracker.id}/delete`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
