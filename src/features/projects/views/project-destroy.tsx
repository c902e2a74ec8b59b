/** The confirmation before deleting a project (Redmine's projects/destroy): type its identifier to confirm. Pure. */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import { CsrfField } from '#src/views/form.tsx';

export interface ProjectDestroyProps {
  readonly view: PageView;
  readonly project: { readonly name: string; readonly identifier: string };
  readonly subprojects: readonly string[];
  /** The identifier typed did not match. */
  readonly mismatch: boolean;
}

export function ProjectDestroyPage({ view, project, subprojects, mismatch }: ProjectDestroyProps): VNode {
  const { t, csrfToken } = view;
  const path = `/projects/${encodeURIComponent(project.identifier)}`;
  return (
    <div id="project-destroy">
      <h2>{t('label_confirmation')}</h2>
      <form method="post" action={`${path}/destroy`}>
        <CsrfField token={csrfToken} />
        <div class="warning flash">
          <p>
            <strong>{project.name}</strong>
            <br />
            {t('text_project_destroy_confirmation')}
          </p>
          {subprojects.length > 0 ? <p class="subprojects">{t('text_subprojects_destroy_warning', { value: subprojects.join(', ') })}</p> : null}
          <p>
            <label for="confirm">{t('text_project_destroy_enter_identifier', { identifier: project.identifier })}</label>
            <br />
            <input type="text" id="confirm" name="confirm" autocomplete="off" required aria-invalid={mismatch ? 'true' : undefined} />
          </p>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_delete')}
          </button>
          <a href={path}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}
