/**
 * My page's use cases: the signed-in user's layout, and changing it (add, remove, order blocks),
 * stored in their preferences as Redmine stores it (`others.my_page_layout`).
 */
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { UnauthenticatedError } from '#src/errors.ts';
import { findPreferences } from '#src/features/account/index.ts';
import { upsertPreferences } from '#src/features/users/user.repository.ts';
import { layoutOf, type MyPageLayout } from './my-page.layout.ts';

function userIdOf(actor: Actor): number {
  if (actor.userId === undefined) {
    throw new UnauthenticatedError();
  }
  return actor.userId;
}

/** The actor's layout (Redmine's default until they change it). */
export async function getMyPageLayout(db: Database, actor: Actor): Promise<MyPageLayout> {
  const preferences = await findPreferences(db.orm, userIdOf(actor));
  return layoutOf(preferences.others.my_page_layout);
}

/** Applies an edit to the actor's layout and stores the result, in one transaction. */
export async function changeMyPageLayout(db: Database, actor: Actor, edit: (layout: MyPageLayout) => MyPageLayout): Promise<MyPageLayout> {
  const userId = userIdOf(actor);
  return db.orm.transaction(async (tx) => {
    const preferences = await findPreferences(tx, userId);
    const before = layoutOf(preferences.others.my_page_layout);
    const after = edit(before);
    if (after !== before) {
      await upsertPreferences(tx, userId, { others: { my_page_layout: { top: [...after.top], left: [...after.left], right: [...after.right] } } });
    }
    return after;
  });
}
