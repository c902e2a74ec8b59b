/** The enumerations page (Redmine's enumerations/index): each type with its shared values, default and active marks, move and delete buttons. */
import type { VNode } from 'preact';
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';
import type { Translate } from '#src/i18n/index.ts';
import { DeleteButton, ReorderButtons } from '#src/views/list-buttons.tsx';
import type { EnumerationRecord } from '../enumeration.repository.ts';
import { ENUMERATION_TYPE_LABELS } from './enumeration-labels.ts';

function Tick({ t, on }: { t: Translate; on: boolean }): VNode | null {
  return on ? <span class="icon-only icon-checked">{t('general_text_Yes')}</span> : null;
}

export function EnumerationsList(props: { t: Translate; csrfToken: string; lists: ReadonlyArray<{ type: EnumerationType; values: readonly EnumerationRecord[] }> }): VNode {
  const { t, csrfToken } = props;
  return (
    <>
      <h2>{t('label_enumerations')}</h2>
      {props.lists.map(({ type, values }) => (
        <section class="enumeration-type" id={`enumerations-${type}`}>
          <h3>{t(ENUMERATION_TYPE_LABELS[type])}</h3>
          <p>
            <a href={`/enumerations/new?type=${type}`} class="icon icon-add">
              {t('label_enumeration_new')}
            </a>
          </p>
          {values.length === 0 ? (
            <p class="nodata">{t('label_no_data')}</p>
          ) : (
            <table class="list enumerations">
              <thead>
                <tr>
                  <th>{t('field_name')}</th>
                  <th>{t('field_is_default')}</th>
                  <th>{t('field_active')}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {values.map((value, i) => (
                  <tr id={`enumeration-${value.id}`}>
                    <td class="name">
                      <a href={`/enumerations/${value.id}/edit`}>{value.name}</a>
                    </td>
                    <td class="tick">
                      <Tick t={t} on={value.is_default} />
                    </td>
                    <td class="tick">
                      <Tick t={t} on={value.active} />
                    </td>
                    <td class="buttons">
                      <ReorderButtons t={t} csrfToken={csrfToken} action={`/enumerations/${value.id}`} param="enumeration" index={i + 1} count={values.length} />
                      <DeleteButton t={t} csrfToken={csrfToken} action={`/enumerations/${value.id}/delete`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>
  );
}
