/**
 * The values the administrator's user form shows: a new user's defaults, a stored user's, or what a
 * refused form sent (so nothing typed is lost). Passwords are never shown again.
 */
import { paramBool, paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import type { Settings } from '#src/features/settings/index.ts';
import type { UserForEdit } from './user.admin.ts';

export interface UserFormValues {
  readonly login: string;
  readonly firstname: string;
  readonly lastname: string;
  readonly mail: string;
  readonly language: string;
  readonly admin: boolean;
  readonly mustChangePasswd: boolean;
  readonly generatePassword: boolean;
  readonly mailNotification: string;
  readonly hideMail: boolean;
  readonly timeZone: string;
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

export function newUserFormValues(settings: Settings): UserFormValues {
  return {
    login: '',
    firstname: '',
    lastname: '',
    mail: '',
    language: '',
    admin: false,
    mustChangePasswd: false,
    generatePassword: false,
    mailNotification: 'only_my_events',
    hideMail: settings.default_users_hide_mail === '1',
    timeZone: settings.default_users_time_zone,
    customValues: new Map(),
  };
}

export function userFormValuesOf({ user, timeZone, customValues }: UserForEdit): UserFormValues {
  return {
    login: user.login,
    firstname: user.firstname,
    lastname: user.lastname,
    mail: user.mail ?? '',
    language: user.language,
    admin: user.admin,
    mustChangePasswd: user.mustChangePasswd,
    generatePassword: false,
    mailNotification: user.mailNotification,
    hideMail: user.hideMail,
    timeZone,
    customValues,
  };
}

/** What the form sent, over `base` for the fields it did not send. */
export function userFormValuesFromParams(params: Params, base: UserFormValues): UserFormValues {
  const u = paramObject(params.user) ?? {};
  const pref = paramObject(params.pref) ?? {};
  const text = (value: Params[string] | undefined, fallback: string) => (value === undefined ? fallback : (paramString(value) ?? ''));
  const flag = (value: Params[string] | undefined, fallback: boolean) => (value === undefined ? fallback : (paramBool(value) ?? false));
  const custom = new Map(base.customValues);
  for (const [key, value] of Object.entries(paramObject(u.custom_field_values) ?? {})) {
    if (/^\d+$/.test(key)) {
      custom.set(Number(key), Array.isArray(value) ? paramList(value).filter((v) => v !== '') : [paramString(value) ?? '']);
    }
  }
  return {
    login: text(u.login, base.login),
    firstname: text(u.firstname, base.firstname),
    lastname: text(u.lastname, base.lastname),
    mail: text(u.mail, base.mail),
    language: text(u.language, base.language),
    admin: flag(u.admin, base.admin),
    mustChangePasswd: flag(u.must_change_passwd, base.mustChangePasswd),
    generatePassword: flag(u.generate_password, base.generatePassword),
    mailNotification: text(u.mail_notification, base.mailNotification),
    hideMail: flag(pref.hide_mail, base.hideMail),
    timeZone: text(pref.time_zone, base.timeZone),
    customValues: custom,
  };
}
