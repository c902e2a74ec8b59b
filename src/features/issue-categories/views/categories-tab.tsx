/**
 * The issue categories tab of a project's settings (Redmine's projects/settings/_issue_categories),
 * the new / edit category form, and the question Redmine asks before deleting a category its issues
 * use (leave them without category, or move them to another one). Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { DeleteButton } from '#src/views/list-buttons.tsx';
import type { CategoryRow } from '../issue-category.repository.ts';

export function CategoriesTab({ view, projectIdentifier, categories }: { view: PageView; projectIdentifier: string; categories: readonly CategoryRow[] }): VNode {
  const { t, csrfToken } = view;
  return (
    <div id="tab-categories">
      {categories.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list issue-categories">
          <thead>
            <tr>
              <th scope="col">{t('label_issue_category')}</th>
              <th scope="col">{t('field_assigned_to')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {categories.map((c) => (
              <tr id={`category-${c.id}`}>
                <td class="name">{c.name}</td>
                <td class="assigned_to">{c.assigned_to_name ?? ''}</td>
                <td class="buttons">
                  <a href={`/issue_categories/${c.id}/edit`} class="icon icon-edit">
                    {t('button_edit')}
                  </a>{' '}
                  <DeleteButton t={t} csrfToken={csrfToken} action={`/issue_categories/${c.id}/delete`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`/projects/${encodeURIComponent(projectIdentifier)}/issue_categories/new`} class="icon icon-add" id="new-category">
          {t('label_issue_category_new')}
        </a>
      </p>
    </div>
  );
}

export interface CategoryFormProps {
  readonly view: PageView;
  readonly projectIdentifier: string;
  /** Undefined for a new category. */
  readonly categoryId?: number | undefined;
  readonly name: string;
  readonly assignedToId: number | null;
  readonly assignees: readonly { id: number; name: string }[];
  readonly errors: readonly string[];
}

export function CategoryFormPage(props: CategoryFormProps): VNode {
  const { view, categoryId } = props;
  const { t, csrfToken } = view;
  const action = categoryId === undefined ? `/projects/${encodeURIComponent(props.projectIdentifier)}/issue_categories` : `/issue_categories/${categoryId}`;
  return (
    <div id={categoryId === undefined ? 'new-category-page' : 'edit-category-page'}>
      <h2>{categoryId === undefined ? t('label_issue_category_new') : t('label_issue_category')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action={action} class="tabular" id={categoryId === undefined ? 'new_issue_category' : `edit_issue_category_${categoryId}`}>
        <CsrfField token={csrfToken} />
        <div class="box tabular">
          <p>
            <label for="issue_category_name">
              {t('field_name')}
              <span class="required"> *</span>
            </label>
            <input type="text" id="issue_category_name" name="issue_category[name]" value={props.name} size={60} maxlength={60} required />
          </p>
          <p>
            <label for="issue_category_assigned_to_id">{t('field_assigned_to')}</label>
            <select id="issue_category_assigned_to_id" name="issue_category[assigned_to_id]">
              <option value="" />
              {props.assignees.map((a) => (
                <option value={String(a.id)} selected={props.assignedToId === a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </p>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {categoryId === undefined ? t('button_create') : t('button_save')}
          </button>
          <a href={`/projects/${encodeURIComponent(props.projectIdentifier)}/settings?tab=categories`}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}

export function CategoryDestroyPage(props: { view: PageView; category: CategoryRow; issueCount: number; others: readonly CategoryRow[] }): VNode {
  const { view, category, others } = props;
  const { t, csrfToken } = view;
  return (
    <div id="category-destroy">
      <h2>{t('label_issue_category')}: {category.name}</h2>
      <form method="post" action={`/issue_categories/${category.id}/delete`} id="category-destroy-form">
        <CsrfField token={csrfToken} />
        <div class="box">
          <p>
            <strong>{t('text_issue_category_destroy_question', { count: String(props.issueCount) })}</strong>
          </p>
          <p>
            <label>
              <input type="radio" name="todo" value="nullify" id="todo_nullify" checked /> {t('text_issue_category_destroy_assignments')}
            </label>
          </p>
          {others.length > 0 ? (
            <p>
              <label>
                <input type="radio" name="todo" value="reassign" id="todo_reassign" /> {t('text_issue_category_reassign_to')}
              </label>{' '}
              <select name="reassign_to_id" id="reassign_to_id" aria-label={t('text_issue_category_reassign_to')}>
                {others.map((c) => (
                  <option value={String(c.id)}>{c.name}</option>
                ))}
              </select>
            </p>
          ) : null}
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_apply')}
          </button>
          <a href={`/projects/${category.project_id}/settings?tab=categories`}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}
