/**
 * A role's name as Redmine shows it (Role#name): the built-in roles are named in the reader's
 * language, whatever name is stored; other roles by their stored name.
 */
import type { Translate } from '#src/i18n/index.ts';

export function roleName(t: Translate, role: { readonly name: string; readonly builtin: number }): string {
  if (role.builtin === 1) {
    return t('label_role_non_member');
  }
  if (role.builtin === 2) {
    return t('label_role_anonymous');
  }
  return role.name;
}
