/** The trackers' fields summary (Redmine's trackers/fields): standard and custom fields × trackers, saved at once. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { coreFieldLabel } from '#src/features/workflows/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import { ToggleCheckboxes } from '#src/views/toggle-checkboxes.tsx';
import { enabledCoreFields, TRACKER_CORE_FIELDS } from '../tracker.input.ts';
import type { TrackerFieldsSummary } from '../tracker.service.ts';

export function TrackerFieldsPage({ t, csrfToken, summary }: { t: Translate; csrfToken: string; summary: TrackerFieldsSummary }): VNode {
  const { trackers, customFields } = summary;
  const span = trackers.length + 1;
  return (
    <>
      <h2>
        <a href="/trackers">{t('label_tracker_plural')}</a> » {t('field_summary')}
      </h2>
      {trackers.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <form method="post" action="/trackers/fields" id="tracker_fields_form">
          <CsrfField token={csrfToken} />
          <div class="autoscroll">
            <table class="list tracker-summary">
              <thead>
                <tr>
                  <th></th>
                  {trackers.map((tracker) => (
                    <th>
                      <ToggleCheckboxes t={t} selector={`input.tracker-${tracker.id}`} />
                      {tracker.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr class="group open">
                  <td colSpan={span}>{t('field_core_fields')}</td>
                </tr>
                {TRACKER_CORE_FIELDS.map((field) => (
                  <tr>
                    <td class="name">
                      <ToggleCheckboxes t={t} selector={`input.core-field-${field}`} />
                      {coreFieldLabel(t, field)}
                    </td>
                    {trackers.map((tracker) => (
                      <td title={`${tracker.name}: ${coreFieldLabel(t, field)}`}>
                        <input
                          type="checkbox"
                          name={`trackers[${tracker.id}][core_fields][]`}
                          value={field}
                          checked={enabledCoreFields(tracker.fields_bits).includes(field)}
                          class={`tracker-${tracker.id} core-field-${field}`}
                          aria-label={`${tracker.name}: ${coreFieldLabel(t, field)}`}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
                {customFields.length > 0 ? (
                  <tr class="group open">
                    <td colSpan={span}>{t('label_custom_field_plural')}</td>
                  </tr>
                ) : null}
                {customFields.map((field) => (
                  <tr>
                    <td class="name">
                      <ToggleCheckboxes t={t} selector={`input.custom-field-${field.id}`} />
                      {field.name}
                    </td>
                    {trackers.map((tracker) => (
                      <td title={`${tracker.name}: ${field.name}`}>
                        <input
                          type="checkbox"
                          name={`trackers[${tracker.id}][custom_field_ids][]`}
                          value={String(field.id)}
                          checked={summary.customFieldIds.get(tracker.id)?.includes(field.id) ?? false}
                          class={`tracker-${tracker.id} custom-field-${field.id}`}
                          aria-label={`${tracker.name}: ${field.name}`}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <button type="submit" name="commit">
              {t('button_save')}
            </button>
          </p>
          {trackers.map((tracker) => (
            <>
              <input type="hidden" name={`trackers[${tracker.id}][core_fields][]`} value="" />
              <input type="hidden" name={`trackers[${tracker.id}][custom_field_ids][]`} value="" />
            </>
          ))}
        </form>
      )}
    </>
  );
}
