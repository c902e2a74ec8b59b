/** Who may see and change a project's issue categories, and a category's validation rules (Redmine's messages). */
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';

/** List and show: `view_issues`, or `manage_categories`. */
export function canViewCategories(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'view_issues', project) || allowedTo(actor, 'manage_categories', project);
}

export function canManageCategories(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'manage_categories', project);
}

/** What the category's checks found out beforehand (they need the database). */
export interface CategoryChecks {
  readonly nameTaken: boolean;
  /** False when a new assignee is not assignable in the project. */
  readonly assigneeValid: boolean;
}

/** Redmine's IssueCategory validations in its order, then the assignee check. */
export function categoryErrors(name: string | null, checks: CategoryChecks): string[] {
  const errors: string[] = [];
  if (name === null || name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (checks.nameTaken) {
    errors.push('Name has already been taken');
  }
  // Ruby's String#length: characters, not UTF-16 units.
  if (name !== null && [...name].length > 60) {
    errors.push('Name is too long (maximum is 60 characters)');
  }
  if (!checks.assigneeValid) {
    errors.push('Assignee is invalid');
  }
  return errors;
}
