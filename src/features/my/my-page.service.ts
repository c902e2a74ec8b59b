/**
 * My page's use cases: the signed-in user's layout, and changing it (add, remove, order blocks), and
 * the blocks' settings, stored in their preferences as Redmine stores them (`others.my_page_layout`,
 * `others.my_page_settings`).
 */
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { UnauthenticatedError } from '#src/errors.ts';
import { findPreferences } from '#src/features/account/index.ts';
import { upsertPreferences } from '#src/features/users/user.repository.ts';
import { layoutOf, settingsInUse, settingsOf, type BlockSettings, type MyPageLayout, type MyPageSettings } from './my-page.layout.ts';

function userIdOf(actor: Actor): number {
  if (actor.userId === undefined) {
    throw new UnauthenticatedError();
  }
  return actor.userId;
}

/** The actor's layout (Redmine's default until they change it) and block settings. */
export async function getMyPage(db: Database, actor: Actor): Promise<{ layout: MyPageLayout; settings: MyPageSettings }> {
  const preferences = await findPreferences(db.orm, userIdOf(actor));
  return { layout: layoutOf(preferences.others.my_page_layout), settings: settingsOf(preferences.others.my_page_settings) };
}

/** Applies an edit to the actor's layout and stores the result (settings of removed blocks dropped), in one transaction. */
export async function changeMyPageLayout(db: Database, actor: Actor, edit: (layout: MyPageLayout) => MyPageLayout): Promise<MyPageLayout> {
  const userId = userIdOf(actor);
  return db.orm.transaction(async (tx) => {
    const preferences = await findPreferences(tx, userId);
    const before = layoutOf(preferences.others.my_page_layout);
    const after = edit(before);
    if (after !== before) {
      const settings = settingsInUse(after, settingsOf(preferences.others.my_page_settings));
      await upsertPreferences(tx, userId, {
        others: { my_page_layout: { top: [...after.top], left: [...after.left], right: [...after.right] }, ...(preferences.others.my_page_settings === undefined ? {} : { my_page_settings: settings }) },
      });
    }
    return after;
  });
}

/** Stores the settings of blocks on the actor's page (Redmine's update_page); blocks not on it are ignored. */
export async function changeBlockSettings(db: Database, actor: Actor, changes: Readonly<Record<string, BlockSettings>>): Promise<void> {
  const userId = userIdOf(actor);
  await db.orm.transaction(async (tx) => {
    const preferences = await findPreferences(tx, userId);
    const layout = layoutOf(preferences.others.my_page_layout);
    const settings = settingsInUse(layout, { ...settingsOf(preferences.others.my_page_settings), ...changes });
    await upsertPreferences(tx, userId, { others: { my_page_settings: settings } });
  });
}
