/**
 * The tabs of Administration → Settings and the settings each one edits, in Redmine's order and with
 * Redmine's setting names. Data only: a field says which input it takes and where its choices come
 * from; the page renders and saves a tab from this list, so a new setting is one line here (and its
 * `setting_<name>` label). The security work adds its fields to `authentication`.
 */
import type { MessageKey } from '#src/i18n/index.ts';
import type { SettingName } from './setting-definitions.ts';

/** Choices known at build time: value and label key. */
export type StaticChoices = readonly (readonly [value: string, label: MessageKey])[];

/** Choices the page computes from the tenant's data or the reader's language. */
export type DynamicChoices =
  | 'languages'
  | 'text_formattings'
  | 'date_formats'
  | 'time_formats'
  | 'user_formats'
  | 'themes'
  | 'week_days'
  | 'project_modules'
  | 'trackers'
  | 'roles'
  | 'time_zones';

export type SettingField =
  | { readonly name: SettingName; readonly input: 'text'; readonly size?: number; readonly hint?: MessageKey }
  | { readonly name: SettingName; readonly input: 'number'; readonly hint?: MessageKey }
  | { readonly name: SettingName; readonly input: 'wiki' }
  | { readonly name: SettingName; readonly input: 'check' }
  | {
      readonly name: SettingName;
      readonly input: 'select';
      readonly choices: StaticChoices | DynamicChoices;
      readonly blank?: MessageKey;
      readonly hint?: MessageKey;
      /** Choosing this value asks `text` before the form is sent (application.ts, `data-confirm` on the option). */
      readonly confirm?: { readonly value: string; readonly text: MessageKey };
    }
  /** A list setting: one checkbox per choice. */
  | { readonly name: SettingName; readonly input: 'checklist'; readonly choices: StaticChoices | DynamicChoices };

export interface SettingsTab {
  readonly name: string;
  readonly label: MessageKey;
  readonly fields: readonly SettingField[];
}

const YES_NO_ASK: StaticChoices = [
  ['yes', 'general_text_Yes'],
  ['no', 'general_text_No'],
  ['ask', 'label_ask'],
];

const DERIVED_INDEPENDENT: StaticChoices = [
  ['derived', 'label_parent_task_attributes_derived'],
  ['independent', 'label_parent_task_attributes_independent'],
];

/** The authentication tab's fields; kept apart so the security work can extend the list. */
export const AUTHENTICATION_FIELDS: readonly SettingField[] = [
  { name: 'login_required', input: 'check' },
  {
    name: 'autologin',
    input: 'select',
    choices: [
      ['0', 'label_disabled'],
      ['1', 'label_autologin_1_day'],
      ['7', 'label_autologin_7_days'],
      ['30', 'label_autologin_30_days'],
      ['365', 'label_autologin_365_days'],
    ],
  },
  {
    name: 'self_registration',
    input: 'select',
    choices: [
      ['0', 'label_disabled'],
      ['1', 'label_registration_activation_by_email'],
      ['2', 'label_registration_manual_activation'],
      ['3', 'label_registration_automatic_activation'],
    ],
  },
  { name: 'lost_password', input: 'check' },
  { name: 'password_min_length', input: 'number' },
  {
    name: 'password_required_char_classes',
    input: 'checklist',
    choices: [
      ['uppercase', 'label_password_char_class_uppercase'],
      ['lowercase', 'label_password_char_class_lowercase'],
      ['digits', 'label_password_char_class_digits'],
      ['special_chars', 'label_password_char_class_special_chars'],
    ],
  },
  { name: 'password_max_age', input: 'number', hint: 'text_setting_days_zero_disabled' },
  { name: 'session_lifetime', input: 'number', hint: 'text_setting_minutes_zero_disabled' },
  { name: 'session_timeout', input: 'number', hint: 'text_setting_minutes_zero_disabled' },
  {
    name: 'twofa',
    input: 'select',
    choices: [
      ['0', 'label_disabled'],
      ['1', 'label_optional'],
      ['3', 'label_required_administrators'],
      ['2', 'label_required_lower'],
    ],
    // Turning it off unpairs every user (settings.service.ts), which cannot be undone.
    hint: 'text_twofa_hint_disabled',
    confirm: { value: '0', text: 'text_twofa_disable_confirm' },
  },
];

export const SETTINGS_TABS: readonly SettingsTab[] = [
  {
    name: 'general',
    label: 'label_general',
    fields: [
      { name: 'app_title', input: 'text', size: 30 },
      { name: 'welcome_text', input: 'wiki' },
      { name: 'per_page_options', input: 'text', size: 20, hint: 'text_comma_separated' },
      { name: 'search_results_per_page', input: 'number' },
      { name: 'host_name', input: 'text', size: 60, hint: 'text_setting_host_name_example' },
      {
        name: 'protocol',
        input: 'select',
        choices: [
          ['http', 'label_protocol_http'],
          ['https', 'label_protocol_https'],
        ],
      },
      { name: 'text_formatting', input: 'select', choices: 'text_formattings' },
    ],
  },
  {
    name: 'display',
    label: 'label_display',
    fields: [
      { name: 'ui_theme', input: 'select', choices: 'themes' },
      { name: 'default_language', input: 'select', choices: 'languages' },
      { name: 'force_default_language_for_anonymous', input: 'check' },
      { name: 'force_default_language_for_loggedin', input: 'check' },
      { name: 'start_of_week', input: 'select', choices: 'week_days', blank: 'label_language_based' },
      { name: 'date_format', input: 'select', choices: 'date_formats', blank: 'label_language_based' },
      { name: 'time_format', input: 'select', choices: 'time_formats', blank: 'label_language_based' },
      {
        name: 'timespan_format',
        input: 'select',
        choices: [
          ['minutes', 'label_timespan_format_minutes'],
          ['decimal', 'label_timespan_format_decimal'],
        ],
      },
      { name: 'user_format', input: 'select', choices: 'user_formats' },
    ],
  },
  { name: 'authentication', label: 'label_authentication', fields: AUTHENTICATION_FIELDS },
  {
    name: 'api',
    label: 'label_api',
    fields: [
      { name: 'rest_api_enabled', input: 'check' },
      { name: 'jsonp_enabled', input: 'check' },
    ],
  },
  {
    name: 'projects',
    label: 'label_project_plural',
    fields: [
      { name: 'default_projects_public', input: 'check' },
      { name: 'default_projects_modules', input: 'checklist', choices: 'project_modules' },
      { name: 'default_projects_tracker_ids', input: 'checklist', choices: 'trackers' },
      { name: 'sequential_project_identifiers', input: 'check' },
      { name: 'new_project_user_role_id', input: 'select', choices: 'roles', blank: 'label_none' },
    ],
  },
  {
    name: 'users',
    label: 'label_user_plural',
    fields: [
      { name: 'unsubscribe', input: 'check' },
      { name: 'default_users_hide_mail', input: 'check' },
      { name: 'default_users_time_zone', input: 'select', choices: 'time_zones', blank: 'label_none' },
    ],
  },
  {
    name: 'issues',
    label: 'label_issue_tracking',
    fields: [
      { name: 'cross_project_issue_relations', input: 'check' },
      { name: 'link_copied_issue', input: 'select', choices: YES_NO_ASK },
      {
        name: 'cross_project_subtasks',
        input: 'select',
        choices: [
          ['', 'label_disabled'],
          ['system', 'label_cross_project_system'],
          ['tree', 'label_cross_project_tree'],
          ['hierarchy', 'label_cross_project_hierarchy'],
          ['descendants', 'label_cross_project_descendants'],
        ],
      },
      { name: 'close_duplicate_issues', input: 'check' },
      { name: 'issue_group_assignment', input: 'check' },
      { name: 'default_issue_start_date_to_creation_date', input: 'check' },
      { name: 'display_subprojects_issues', input: 'check' },
      {
        name: 'issue_done_ratio',
        input: 'select',
        choices: [
          ['issue_field', 'label_issue_done_ratio_issue_field'],
          ['issue_status', 'label_issue_done_ratio_issue_status'],
        ],
      },
      { name: 'non_working_week_days', input: 'checklist', choices: 'week_days' },
      { name: 'issues_export_limit', input: 'number' },
      { name: 'parent_issue_dates', input: 'select', choices: DERIVED_INDEPENDENT },
      { name: 'parent_issue_priority', input: 'select', choices: DERIVED_INDEPENDENT },
      { name: 'parent_issue_done_ratio', input: 'select', choices: DERIVED_INDEPENDENT },
      { name: 'copy_attachments_on_issue_copy', input: 'select', choices: YES_NO_ASK },
    ],
  },
  {
    name: 'timelog',
    label: 'label_time_tracking',
    fields: [
      {
        name: 'timelog_required_fields',
        input: 'checklist',
        choices: [
          ['issue_id', 'field_issue'],
          ['comments', 'field_comments'],
        ],
      },
      { name: 'timelog_max_hours_per_day', input: 'number', hint: 'text_setting_zero_no_limit' },
      { name: 'timelog_accept_0_hours', input: 'check' },
      { name: 'timelog_accept_future_dates', input: 'check' },
    ],
  },
  {
    name: 'attachments',
    label: 'label_attachment_plural',
    fields: [
      { name: 'attachment_max_size', input: 'number', hint: 'text_setting_kilobytes' },
      { name: 'attachment_extensions_allowed', input: 'text', size: 60, hint: 'text_comma_separated' },
      { name: 'attachment_extensions_denied', input: 'text', size: 60, hint: 'text_comma_separated' },
    ],
  },
  {
    name: 'notifications',
    label: 'field_mail_notification',
    fields: [
      { name: 'mail_from', input: 'text', size: 60 },
      { name: 'emails_header', input: 'wiki' },
      { name: 'emails_footer', input: 'wiki' },
    ],
  },
];

export function settingsTabNamed(name: unknown): SettingsTab {
  return SETTINGS_TABS.find((tab) => tab.name === name) ?? SETTINGS_TABS[0]!;
}
