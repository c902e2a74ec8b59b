/**
 * The tenant settings Kanri knows, with Redmine's names and defaults. Values are stored as text in
 * Redmine's `settings` table (lists as JSON, not YAML). Features add their settings here as they come.
 */
export type SettingKind =
  | { readonly type: 'boolean' }
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'string'; readonly maxLength: number }
  | { readonly type: 'choice'; readonly choices: readonly string[] }
  /** A list of strings, stored as a JSON array. */
  | { readonly type: 'list'; readonly pattern: RegExp };

export interface SettingDefinition {
  readonly kind: SettingKind;
  readonly default: string;
}

const bool = (d: '0' | '1'): SettingDefinition => ({ kind: { type: 'boolean' }, default: d });
const int = (d: number, min: number, max: number): SettingDefinition => ({
  kind: { type: 'integer', min, max },
  default: String(d),
});
const str = (d: string, maxLength = 255): SettingDefinition => ({ kind: { type: 'string', maxLength }, default: d });
const stringList = (d: readonly string[], pattern: RegExp): SettingDefinition => ({
  kind: { type: 'list', pattern },
  default: JSON.stringify(d),
});
const choice = (d: string, choices: readonly string[]): SettingDefinition => ({ kind: { type: 'choice', choices }, default: d });

export const SETTINGS = {
  app_title: str('Kanri'),
  welcome_text: str('', 65_535),
  login_required: bool('0'),
  self_registration: choice('0', ['0', '1', '2', '3']),
  rest_api_enabled: bool('0'),
  jsonp_enabled: bool('0'),
  default_language: choice('en', ['en', 'ja']),
  force_default_language_for_anonymous: bool('0'),
  force_default_language_for_loggedin: bool('0'),
  host_name: str('localhost:3000'),
  protocol: choice('http', ['http', 'https']),
  text_formatting: choice('common_mark', ['common_mark', 'textile', '']),
  per_page_options: str('25,50,100'),
  search_results_per_page: int(10, 1, 100),
  mail_from: str('kanri@example.net'),
  // Text above and below every e-mail's body (Administration → Settings → Email notifications).
  emails_header: str('', 65_535),
  emails_footer: str('You have received this notification because you have either subscribed to it, or are involved in it.\nTo change your notification preferences, please click here: http://hostname/my/account', 65_535),
  lost_password: bool('1'),
  password_min_length: int(8, 1, 1024),
  password_max_age: int(0, 0, 3650),
  /** Character classes every new password must contain (Redmine's PASSWORD_CHAR_CLASSES keys). */
  password_required_char_classes: stringList([], /^(uppercase|lowercase|digits|special_chars)$/),
  /** Days a "Stay logged in" token lasts; 0: the checkbox is not offered and existing tokens stop working. */
  autologin: choice('0', ['0', '1', '7', '30', '365']),
  session_lifetime: int(0, 0, 525_600),
  session_timeout: int(0, 0, 525_600),
  // 0 disabled, 1 optional, 3 required for administrators, 2 required (Redmine's default: optional).
  twofa: choice('1', ['0', '1', '2', '3']),
  unsubscribe: bool('1'),
  default_users_hide_mail: bool('1'),
  /** IANA zone given to new users ('' = the server's UTC). */
  default_users_time_zone: str(''),
  ui_theme: str(''),
  // Display (Administration → Settings → Display).
  date_format: str(''),
  time_format: str(''),
  user_format: choice('firstname_lastname', [
    'firstname_lastname',
    'firstname_lastinitial',
    'firstinitial_lastname',
    'firstname',
    'lastname_firstname',
    'lastnamefirstname',
    'lastname_comma_firstname',
    'lastname',
    'username',
  ]),
  start_of_week: choice('', ['', '1', '6', '7']),
  default_projects_public: bool('1'),
  default_projects_modules: stringList(
    ['issue_tracking', 'time_tracking', 'news', 'documents', 'files', 'wiki', 'repository', 'boards', 'calendar', 'gantt'],
    /^[a-z_]{1,30}$/,
  ),
  /** Empty list: every tracker. */
  default_projects_tracker_ids: stringList([], /^\d{1,9}$/),
  /** The role a non-admin creator of a project gets in it ('' for none). */
  new_project_user_role_id: str(''),
  sequential_project_identifiers: bool('0'),
  // Issue tracking (Administration → Settings → Issue tracking).
  cross_project_issue_relations: bool('0'),
  link_copied_issue: choice('ask', ['yes', 'no', 'ask']),
  copy_attachments_on_issue_copy: choice('ask', ['yes', 'no', 'ask']),
  cross_project_subtasks: choice('tree', ['', 'tree', 'hierarchy', 'descendants', 'system']),
  close_duplicate_issues: bool('1'),
  issue_group_assignment: bool('0'),
  default_issue_start_date_to_creation_date: bool('1'),
  display_subprojects_issues: bool('1'),
  issue_done_ratio: choice('issue_field', ['issue_field', 'issue_status']),
  non_working_week_days: stringList(['6', '7'], /^[1-7]$/),
  issues_export_limit: int(500, 1, 100_000),
  parent_issue_dates: choice('derived', ['derived', 'independent']),
  parent_issue_priority: choice('derived', ['derived', 'independent']),
  parent_issue_done_ratio: choice('derived', ['derived', 'independent']),
  // Time tracking (Administration → Settings → Time tracking).
  /** Fields a time entry must have besides Redmine's own: `issue_id`, `comments`. */
  timelog_required_fields: stringList([], /^(issue_id|comments)$/),
  timelog_accept_0_hours: bool('1'),
  /** The most hours a user may log on one day, all entries together; 0: no limit. */
  timelog_max_hours_per_day: int(999, 0, 1_000_000),
  timelog_accept_future_dates: bool('1'),
  /** How durations are written in messages: `minutes` (2:30) or `decimal` (2.50). */
  timespan_format: choice('minutes', ['minutes', 'decimal']),
  attachment_max_size: int(5120, 1, 1_048_576),
  attachment_extensions_allowed: str(''),
  attachment_extensions_denied: str(''),
  /**
   * The IP address filter (Kanri, security.md §7): one address or range per line, `#` comments; empty,
   * no restriction. Edited and validated only by Administration → IP address filter (features/ip-filter).
   */
  allowed_ips: str('', 65_535),
} as const satisfies Record<string, SettingDefinition>;

export type SettingName = keyof typeof SETTINGS;

/**
 * The settings Redmine flags `security_notifications` (config/settings.yml) that Kanri has: a change
 * to one of them is e-mailed to every active administrator. Of the Authentication tab, all but
 * `autologin` (and Redmine's `max_additional_emails` and `unsubscribe`, also unflagged there).
 */
export const SECURITY_SETTINGS: ReadonlySet<SettingName> = new Set<SettingName>([
  'login_required',
  'self_registration',
  'lost_password',
  'twofa',
  'password_required_char_classes',
  'password_min_length',
  'password_max_age',
  'session_lifetime',
  'session_timeout',
  'protocol',
  'rest_api_enabled',
  'jsonp_enabled',
]);

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

/** Why `value` cannot be stored in `name`, or undefined when it can. */
export function settingValueProblem(name: SettingName, value: string): string | undefined {
  const kind: SettingKind = SETTINGS[name].kind;
  switch (kind.type) {
    case 'boolean':
      return value === '0' || value === '1' ? undefined : 'must be 0 or 1';
    case 'integer': {
      const n = Number(value);
      return /^\d+$/.test(value) && n >= kind.min && n <= kind.max
        ? undefined
        : `must be a whole number from ${kind.min} to ${kind.max}`;
    }
    case 'string':
      return value.length <= kind.maxLength ? undefined : `must be at most ${kind.maxLength} characters`;
    case 'choice':
      return kind.choices.includes(value) ? undefined : `must be one of ${kind.choices.map((c) => c || '""').join(', ')}`;
    case 'list': {
      const items = parseSettingList(value);
      return items !== undefined && items.every((item) => kind.pattern.test(item))
        ? undefined
        : 'must be a JSON array of strings or a comma-separated list';
    }
  }
}

/** A list setting's items, from its stored JSON or from `a,b,c` as an operator types it. */
export function parseSettingList(value: string): string[] | undefined {
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) && parsed.every((v) => typeof v === 'string' || typeof v === 'number')
        ? parsed.map(String)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return text === '' ? [] : text.split(',').map((item) => item.trim());
}
