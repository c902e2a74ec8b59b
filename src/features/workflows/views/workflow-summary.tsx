/** The workflow summary (Redmine's workflows index): transitions per tracker (rows) and role (columns). */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { roleName } from '#src/views/role-name.ts';
import type { WorkflowSummary } from '../workflow.service.ts';

export function WorkflowSummaryPage({ t, summary }: { t: Translate; summary: WorkflowSummary }): VNode {
  const { roles, trackers, counts } = summary;
  return (
    <>
      <h2>
        <a href="/workflows/edit">{t('label_workflow')}</a> » {t('field_summary')}
      </h2>
      {roles.length === 0 || trackers.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div class="autoscroll">
          <table class="list workflows-summary">
            <thead>
              <tr>
                <th></th>
                {roles.map((role) => (
                  <th>{role.builtin !== 0 ? <em>{roleName(t, role)}</em> : <span>{role.name}</span>}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trackers.map((tracker) => (
                <tr>
                  <td class="name">{tracker.name}</td>
                  {roles.map((role) => {
                    const count = counts.get(`${tracker.id}:${role.id}`) ?? 0;
                    return (
                      <td>
                        <a
                          href={`/workflows/edit?role_id[]=${role.id}&tracker_id[]=${tracker.id}`}
                          title={t('button_edit')}
                          class={count === 0 ? 'decoration-red' : undefined}
                        >
                          {count}
                        </a>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
