/**
 * Issue categories (Redmine's IssueCategory): a project's grouping of issues, each with an optional
 * default assignee. Other features use the lookups; the REST routes are `issueCategoriesApi` in
 * issue-categories.api.ts.
 */
export { categoryOfProject, projectCategoryRefs } from './issue-category.lookup.ts';
export {
  createCategory,
  deleteCategory,
  getCategory,
  getCategoryDeletionQuestion,
  listProjectCategories,
  updateCategory,
  type CategoryContext,
  type CategoryDeletionQuestion,
  type CategoryDeletion,
  type CategoryInput,
} from './issue-category.service.ts';
export { presentCategory } from './issue-category.presenter.ts';
export type { CategoryRow } from './issue-category.repository.ts';
