/**
 * User administration (Redmine's UsersController): list, show, create, update, delete. Administrators
 * manage users; everyone else sees active users and themselves. Writes run in one transaction and
 * answer refused fields with Redmine's messages, the same ones account creation uses.
 */
import { visiblePrincipalIds } from '#src/features/access/index.ts';
import type { Params } from '#src/api/params.ts';
import type { ListValue } from '#src/api/resource.ts';
import type { Database, Orm } from '#src/db/database.ts';
import { queryableOf } from '#src/db/sql.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import {
  anonymousUserId,
  apiKeyOf,
  createUser,
  deletePasswordTokensOf,
  generateTemporaryPassword,
  hashPassword,
  passwordRulesOf,
  TEMPORARY_PASSWORD_LIFETIME_MS,
  userFieldErrors,
  USER_STATUS,
  type PasswordRules,
} from '#src/features/account/index.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import { deleteCustomValues, storeCustomValues } from '#src/features/custom-fields/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import type { TenantMailContext } from '#src/mail/security-notice.ts';
import { planPrincipalCustomValues, principalCustomFields } from './user.custom-fields.ts';
import { administratorChange, notifyAdministratorChange } from './user.mails.ts';
import { userChangeEntries, userCreatedEntries } from './user.audit.ts';
import { setGroupsOfUser } from './group.service.ts';
import { deleteUserWithOwnRows, hasOtherActiveAdmin, removeReferencesToUser } from './user-deletion.repository.ts';
import {
  deleteSessionTokensOf,
  findUserRow,
  selectGroupsOfUser,
  selectMembershipsOf,
  selectUsers,
  setDefaultMail,
  updateUserRow,
  upsertPreferences,
  visibleProjectsCondition,
  type GroupRow,
  type MembershipRow,
  type PreferenceChanges,
  type UserChanges,
  type UserListFilters,
  type UserRow,
  type UserSort,
} from './user.repository.ts';

export interface UserContext {
  db: Database;
  actor: Actor;
  settings: Settings;
  now: Date;
  /** Where the request came from: its changes are recorded on the audit trail with it. */
  auditSource: AuditSource;
}

/**
 * What creating, changing and deleting users needs besides: the tenant's mail, for the notice every
 * administrator gets when an administrator is added or removed (user.mails.ts).
 */
export interface UserChangeContext extends UserContext {
  readonly mail: TenantMailContext;
}

/** What a create or update produced besides the stored user. */
export interface UserSaveResult {
  /** The password generated for the user (`generate_password`): shown once, never stored in clear or mailed. */
  readonly generatedPassword: string | undefined;
}

/** Writable attributes of a user (administrators only); absent = unchanged (or the default on create). */
export interface UserInput {
  login?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
  mail?: string | undefined;
  password?: string | undefined;
  passwordConfirmation?: string | undefined;
  generatePassword?: boolean | undefined;
  mustChangePasswd?: boolean | undefined;
  admin?: boolean | undefined;
  status?: number | undefined;
  language?: string | undefined;
  mailNotification?: string | undefined;
  pref?: PreferenceChanges | undefined;
  /** The `user` hash as sent, for its custom values (`custom_fields` / `custom_field_values`). */
  customValues?: Params | undefined;
  /** `group_ids` (update by an administrator only): the user's groups, replacing those it has. */
  groupIds?: number[] | undefined;
}

/** How the viewer relates to the user shown: decides which fields the presenter emits. */
export type UserViewer = 'admin' | 'self' | 'other';

export interface UserDetails {
  viewer: UserViewer;
  apiKey?: string | undefined;
  groups?: GroupRow[] | undefined;
  memberships?: MembershipRow[] | undefined;
  /** The user's visible custom values (§1.5); absent when none. */
  customFields?: ListValue | undefined;
}

export const MAIL_NOTIFICATIONS = ['all', 'selected', 'only_my_events', 'only_assigned', 'only_owner', 'none'] as const;

// Kept identical to createUser's rules in features/account.
const LANGUAGE_PATTERN = /^[a-z]{2}(-[a-zA-Z]{2,4})?$/;
const USER_STATUSES: readonly number[] = Object.values(USER_STATUS);

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('administrators only');
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) {
    refuse(actor);
  }
}

/** A route's `:id`: a number, or `current` for the caller (401 when anonymous). */
function userIdOf(ctx: UserContext, id: string): number | undefined {
  if (id === 'current') {
    if (ctx.actor.userId === undefined) {
      throw new UnauthenticatedError();
    }
    return ctx.actor.userId;
  }
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

/**
 * The password an administrator's form or request sets: the one given, or a generated one. A
 * generated password is temporary by nature, so the user must change it whatever the form said.
 */
function adminPassword(rules: PasswordRules, input: UserInput): { password: string | undefined; generated: boolean; mustChangePasswd: boolean | undefined } {
  if (input.generatePassword) {
    return { password: generateTemporaryPassword(rules), generated: true, mustChangePasswd: true };
  }
  return { password: input.password || undefined, generated: false, mustChangePasswd: input.mustChangePasswd };
}

/** A password someone else chose and the user must change works unused for 72 hours only. */
function temporaryUntil(mustChangePasswd: boolean, now: Date): Date | null {
  return mustChangePasswd ? new Date(now.getTime() + TEMPORARY_PASSWORD_LIFETIME_MS) : null;
}

/** Users matching the filters, for administrators (Redmine: GET /users is admin-only). */
export async function listUsers(
  ctx: UserContext,
  filters: UserListFilters,
  sorts: readonly UserSort[],
  page: { offset: number; limit: number },
): Promise<{ rows: UserRow[]; total: number }> {
  requireAdmin(ctx.actor);
  return selectUsers(ctx.db.orm, filters, sorts, page);
}

/**
 * The user with this id if the actor may see it: administrators see everyone, users see themselves,
 * others see active users their roles' `users_visibility` shows (Redmine's User#visible?). Anything
 * else is a 404, as for a user that does not exist.
 */
export async function getVisibleUser(ctx: UserContext, idParam: string): Promise<UserRow> {
  const id = userIdOf(ctx, idParam);
  const user = id === undefined ? undefined : await findUserRow(ctx.db.orm, id);
  const { actor } = ctx;
  const visible =
    user &&
    (actor.isAdmin ||
      actor.userId === user.id ||
      (user.status === USER_STATUS.active && (await visiblePrincipalIds(ctx.db, [user.id], actor)).length > 0));
  if (!user || !visible) {
    throw new NotFoundError(`no user ${String(id)}`);
  }
  return user;
}

/** The user with this id, whatever its status, for administrators (update, delete). */
async function getUserForAdmin(ctx: UserContext, idParam: string): Promise<UserRow> {
  requireAdmin(ctx.actor);
  const id = userIdOf(ctx, idParam);
  const user = id === undefined ? undefined : await findUserRow(ctx.db.orm, id);
  if (!user) {
    throw new NotFoundError(`no user ${String(id)}`);
  }
  return user;
}

/**
 * What the show representation adds for this viewer: the API key (administrators and the user), the
 * groups (administrators, when asked) and the memberships in projects the viewer sees (when asked).
 * The API key is made on first use, as in Redmine.
 */
export async function detailsOfUser(ctx: UserContext, user: UserRow, include: ReadonlySet<string>): Promise<UserDetails> {
  const { actor } = ctx;
  const viewer: UserViewer = actor.isAdmin ? 'admin' : actor.userId === user.id ? 'self' : 'other';
  const orm = ctx.db.orm;
  const [apiKey, groups, memberships, customFields] = await Promise.all([
    viewer === 'other' ? undefined : apiKeyOf(orm, user.id, ctx.now),
    include.has('groups') && actor.isAdmin ? selectGroupsOfUser(orm, user.id) : undefined,
    include.has('memberships')
      ? selectMembershipsOf(orm, user.id, actor.isAdmin ? undefined : visibleProjectsCondition([...actor.memberRoles.keys()]))
      : undefined,
    principalCustomFields(ctx.db, 'User', [user.id]),
  ]);
  return { viewer, apiKey, groups, memberships, customFields: customFields.get(user.id) };
}

/** Rules createUser does not know: status, notification option, language. */
function otherErrors(input: UserInput): string[] {
  const errors: string[] = [];
  if (input.status !== undefined && !USER_STATUSES.includes(input.status)) {
    errors.push('Status is not included in the list');
  }
  if (input.mailNotification !== undefined && !(MAIL_NOTIFICATIONS as readonly string[]).includes(input.mailNotification)) {
    errors.push('Email notifications is not included in the list');
  }
  if (input.language !== undefined && input.language !== '' && (input.language.length > 5 || !LANGUAGE_PATTERN.test(input.language))) {
    errors.push('Language is not included in the list');
  }
  return errors;
}

/**
 * Creates a user (administrators): the account module validates (the tenant's password policy
 * included) and hashes; status and preferences follow.
 */
export async function createUserByAdmin(ctx: UserChangeContext, input: UserInput): Promise<{ user: UserRow } & UserSaveResult> {
  requireAdmin(ctx.actor);
  const rules = passwordRulesOf(ctx.settings);
  const chosen = adminPassword(rules, input);
  const extra = otherErrors(input);
  const custom = await planPrincipalCustomValues(ctx.db, 'User', input.customValues, undefined, 'admin');
  const id = await ctx.db.orm.transaction(async (tx) => {
    let created;
    try {
      created = await createUser(
        tx,
        {
          login: input.login ?? '',
          password: chosen.password ?? '',
          ...(chosen.generated ? {} : { passwordConfirmation: input.passwordConfirmation }),
          firstname: input.firstname ?? '',
          lastname: input.lastname ?? '',
          mail: input.mail ?? '',
          admin: input.admin ?? false,
          language: input.language ?? '',
          mustChangePasswd: chosen.mustChangePasswd ?? false,
          minPasswordLength: rules.minLength,
          requiredCharClasses: rules.requiredCharClasses,
        },
        ctx.now,
      );
    } catch (error) {
      throw error instanceof ValidationError ? new ValidationError([...custom.errors, ...error.errors, ...extra]) : error;
    }
    if (custom.errors.length > 0 || extra.length > 0) {
      throw new ValidationError([...custom.errors, ...extra]);
    }
    await storeCustomValues(tx, custom, created.id);
    await updateUserRow(tx, created.id, {
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.mailNotification !== undefined ? { mailNotification: input.mailNotification } : {}),
      updatedOn: ctx.now,
    });
    if (input.pref) {
      await upsertPreferences(tx, created.id, input.pref);
    }
    const stored = await findUserRow(tx, created.id);
    for (const entry of stored ? userCreatedEntries(ctx.auditSource, stored) : []) {
      await recordAudit(queryableOf(tx), entry);
    }
    return created.id;
  });
  const user = await findUserRow(ctx.db.orm, id);
  if (!user) {
    throw new Error('user vanished after creation');
  }
  await notifyAdministratorChange(ctx, user.login, administratorChange(undefined, user));
  return { user, generatedPassword: chosen.generated ? chosen.password : undefined };
}

async function updateErrors(orm: Orm, user: UserRow, input: UserInput, rules: PasswordRules): Promise<string[]> {
  const errors = await userFieldErrors(orm, input, rules, user.id);
  return [...errors, ...otherErrors(input)];
}

/**
 * Updates a user (administrators). A new password (typed, or generated: then returned, to be shown
 * once) is held to the policy, hashed, ends the user's sessions and is audited as
 * `password.admin_set`; a lock or the loss of the administrator right ends the sessions too (Redmine's
 * User#destroy_tokens), and a change to who is an active administrator is mailed to them. An empty
 * password means "unchanged", as in Redmine's form.
 */
export async function updateUserByAdmin(ctx: UserChangeContext, id: string, input: UserInput): Promise<UserSaveResult> {
  return saveUserChanges(ctx, await getUserForAdmin(ctx, id), input, 'admin');
}

/**
 * PUT /my/account (Redmine's MyController#account): the signed-in user changes their names, address,
 * language, notifications, preferences and the custom fields users may edit; never the password here.
 * Administrators may also change what they could change through /users/:id.
 */
export async function updateOwnAccount(ctx: UserChangeContext, input: UserInput): Promise<void> {
  const user = await getVisibleUser(ctx, 'current');
  const own: UserInput = ctx.actor.isAdmin
    ? { ...input, password: undefined, passwordConfirmation: undefined, generatePassword: undefined }
    : {
        firstname: input.firstname,
        lastname: input.lastname,
        mail: input.mail,
        language: input.language,
        mailNotification: input.mailNotification,
        pref: input.pref,
        customValues: input.customValues,
      };
  await saveUserChanges(ctx, user, own, ctx.actor.isAdmin ? 'admin' : 'self');
}

async function saveUserChanges(ctx: UserChangeContext, user: UserRow, input: UserInput, who: 'admin' | 'self'): Promise<UserSaveResult> {
  const rules = passwordRulesOf(ctx.settings);
  const chosen = adminPassword(rules, input);
  const { password } = chosen;
  const effective = { ...input, password: chosen.generated ? undefined : password };
  const custom = await planPrincipalCustomValues(ctx.db, 'User', input.customValues, user.id, who);
  await ctx.db.orm.transaction(async (tx) => {
    // First, as Rails assigns group_ids (an unknown group is a 404 whatever else is wrong).
    if (who === 'admin' && input.groupIds !== undefined) {
      await setGroupsOfUser(tx, user, input.groupIds, ctx.now, ctx.auditSource);
    }
    const errors = [...custom.errors, ...(await updateErrors(tx, user, effective, rules))];
    if (errors.length > 0) {
      throw new ValidationError(errors);
    }
    const hashedPassword = password === undefined ? undefined : await hashPassword(password);
    const mustChangePasswd = chosen.mustChangePasswd ?? user.mustChangePasswd;
    const changes: UserChanges = {
      ...(input.login !== undefined ? { login: input.login } : {}),
      ...(input.firstname !== undefined ? { firstname: input.firstname } : {}),
      ...(input.lastname !== undefined ? { lastname: input.lastname } : {}),
      ...(input.admin !== undefined ? { admin: input.admin } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(input.mailNotification !== undefined ? { mailNotification: input.mailNotification } : {}),
      ...(chosen.mustChangePasswd !== undefined ? { mustChangePasswd: chosen.mustChangePasswd } : {}),
      ...(hashedPassword !== undefined ? { hashedPassword, passwdChangedOn: ctx.now, tempPasswdExpiresOn: temporaryUntil(mustChangePasswd, ctx.now) } : {}),
      updatedOn: ctx.now,
    };
    await updateUserRow(tx, user.id, changes);
    await storeCustomValues(tx, custom, user.id);
    if (input.mail !== undefined) {
      await setDefaultMail(tx, user.id, input.mail, ctx.now);
      // A password link sent to the old address must not outlive it (security.md §3).
      if (input.mail.toLowerCase() !== (user.mail ?? '').toLowerCase()) {
        await deletePasswordTokensOf(queryableOf(tx), user.id);
      }
    }
    if (input.pref) {
      await upsertPreferences(tx, user.id, input.pref);
    }
    const locked = input.status !== undefined && input.status !== USER_STATUS.active && user.status === USER_STATUS.active;
    // What a session could do is decided at each request, but a session begun as an administrator
    // must not outlive the right (security.md §4): the user signs in again.
    const adminRemoved = input.admin === false && user.admin;
    if (hashedPassword !== undefined || locked || adminRemoved) {
      await deleteSessionTokensOf(tx, user.id);
    }
    if (hashedPassword !== undefined && ctx.auditSource) {
      await recordAudit(queryableOf(tx), {
        event: 'password.admin_set',
        source: ctx.auditSource,
        target: { type: 'User', id: user.id, name: input.login ?? user.login },
        details: { generated: chosen.generated, must_change_passwd: mustChangePasswd },
      });
    }
    for (const entry of userChangeEntries(ctx.auditSource, user, changes, input.mail)) {
      await recordAudit(queryableOf(tx), entry);
    }
  });
  const after = { admin: input.admin ?? user.admin, status: input.status ?? user.status };
  await notifyAdministratorChange(ctx, input.login ?? user.login, administratorChange(user, after));
  return { generatedPassword: chosen.generated ? password : undefined };
}

/** Refusal to delete (or lock) one's own account: Redmine answers a bare 422. */
class OwnAccountNotDeletableError extends ValidationError {
  constructor() {
    super([]);
  }
}

/**
 * Redmine's User#own_account_deletable?: the `unsubscribe` setting is on and, for an administrator,
 * another active administrator remains.
 */
async function isOwnAccountDeletable(ctx: UserContext, user: UserRow): Promise<boolean> {
  return ctx.settings.unsubscribe === '1' && (!user.admin || (await hasOtherActiveAdmin(ctx.db, user.id)));
}

/**
 * Deletes a user (administrators; Redmine's UsersController#destroy), or locks it when `lock` is
 * asked. One's own account only when Redmine's own_account_deletable? allows it. Everything that
 * refers to the user is handed to the Anonymous user, cleared or deleted in the same transaction
 * (Redmine's User#remove_references_before_destroy), then the user with its own rows.
 */
export async function deleteUserByAdmin(ctx: UserChangeContext, id: string, options: { lock?: boolean } = {}): Promise<void> {
  const user = await getUserForAdmin(ctx, id);
  if (user.id === ctx.actor.userId && !(await isOwnAccountDeletable(ctx, user))) {
    throw new OwnAccountNotDeletableError();
  }
  if (options.lock) {
    if (user.status !== USER_STATUS.locked) {
      await ctx.db.orm.transaction(async (tx) => {
        const changes = { status: USER_STATUS.locked, updatedOn: ctx.now };
        await updateUserRow(tx, user.id, changes);
        await deleteSessionTokensOf(tx, user.id);
        for (const entry of userChangeEntries(ctx.auditSource, user, changes, undefined)) {
          await recordAudit(queryableOf(tx), entry);
        }
      });
      await notifyAdministratorChange(ctx, user.login, administratorChange(user, { admin: user.admin, status: USER_STATUS.locked }));
    }
    return;
  }
  await ctx.db.transaction(async (tx) => {
    await removeReferencesToUser(tx, user.id, await anonymousUserId(tx));
    await deleteCustomValues(tx, 'User', [user.id]);
    await deleteUserWithOwnRows(tx, user.id);
    await recordAudit(tx, { event: 'user.delete', source: ctx.auditSource, target: { type: 'User', id: user.id, name: user.login }, details: { firstname: user.firstname, lastname: user.lastname } });
  });
  await notifyAdministratorChange(ctx, user.login, administratorChange(user, undefined));
}
