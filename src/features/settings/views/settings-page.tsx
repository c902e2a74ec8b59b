/**
 * Redmine's Administration → Settings: one tab at a time (`?tab=`), each a `form.tabular` posting to
 * `/settings/edit?tab=<tab>` with `settings[<name>]` fields. Checkboxes send a hidden `0` first, list
 * settings a blank item, so clearing them is sent too. Pure: values and choices arrive in the props.
 */
import type { VNode } from 'preact';
import { Tabs } from '#src/features/admin/index.ts';
import { PROJECT_MODULES } from '#src/domain/permissions.ts';
import type { Language, MessageKey, Translate } from '#src/i18n/index.ts';
import { createFormatter, DATE_FORMATS, formatUserName, TIME_FORMATS, USER_FORMATS, type NameParts } from '#src/views/format.ts';
import { CsrfField, ErrorExplanation, type SelectOption } from '#src/views/form.tsx';
import { WikiTextarea } from '#src/views/wiki-textarea.tsx';
import { SETTINGS, type SettingName } from '../setting-definitions.ts';
import type { SettingChoiceData } from '../setting-choices.repository.ts';
import { SETTINGS_TABS, type DynamicChoices, type SettingField, type SettingsTab, type StaticChoices } from '../settings.tabs.ts';
import { timeZoneChoices } from '#src/lib/time-zones.ts';

export interface SettingsPageProps {
  readonly t: Translate;
  readonly lang: Language;
  readonly csrfToken: string;
  readonly tab: SettingsTab;
  /** The values shown: stored ones, or what a refused form sent. */
  readonly values: Readonly<Record<SettingName, string>>;
  readonly errors: readonly string[];
  readonly choiceData: SettingChoiceData;
  /** The reader, whose name shows what each user format looks like. */
  readonly reader: NameParts;
  readonly now: Date;
}

const TEXT_FORMATTINGS: readonly [string, string][] = [
  ['common_mark', 'CommonMark Markdown'],
  ['textile', 'Textile'],
];

/** Redmine numbers days 1 (Monday) to 7 (Sunday); names come from the reader's language. */
function weekDays(lang: Language): SelectOption[] {
  const names = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return [1, 2, 3, 4, 5, 6, 7].map((day) => ({ value: String(day), label: names.format(new Date(Date.UTC(2024, 0, day))) }));
}

function dynamicChoices(source: DynamicChoices, props: SettingsPageProps, current: string): SelectOption[] {
  const { t, lang, now } = props;
  const example = (dateFormat: string, timeFormat: string) => createFormatter({ lang, t, timeZone: '', dateFormat, timeFormat, userFormat: '', now });
  switch (source) {
    case 'languages':
      return [
        { value: 'en', label: t('general_lang_name_en') },
        { value: 'ja', label: t('general_lang_name_ja') },
      ];
    case 'text_formattings':
      return [...TEXT_FORMATTINGS.map(([value, label]) => ({ value, label })), { value: '', label: t('label_none') }];
    case 'date_formats':
      return DATE_FORMATS.filter((f) => f !== '').map((f) => ({ value: f, label: `${example(f, '').date(now)} (${f})` }));
    case 'time_formats':
      return TIME_FORMATS.filter((f) => f !== '').map((f) => ({ value: f, label: `${example('%Y-%m-%d', f).time(now).slice(11)} (${f})` }));
    case 'user_formats':
      return USER_FORMATS.map((f) => ({ value: f, label: formatUserName(props.reader, f) }));
    case 'themes':
      // Only the default theme for now; a value stored elsewhere (a migrated Redmine) stays choosable.
      return [{ value: '', label: t('label_default') }, ...(current ? [{ value: current, label: current }] : [])];
    case 'week_days':
      return weekDays(lang);
    case 'project_modules':
      return PROJECT_MODULES.map((m) => ({ value: m, label: t(`project_module_${m}` as MessageKey) }));
    case 'trackers':
      return props.choiceData.trackers.map((tr) => ({ value: String(tr.id), label: tr.name }));
    case 'roles':
      return props.choiceData.roles.map((r) => ({ value: String(r.id), label: r.name }));
    case 'time_zones':
      return [...timeZoneChoices()];
  }
}

function choicesOf(choices: StaticChoices | DynamicChoices, props: SettingsPageProps, current: string): SelectOption[] {
  return typeof choices === 'string' ? dynamicChoices(choices, props, current) : choices.map(([value, label]) => ({ value, label: props.t(label) }));
}

/** A list setting's items, from its stored JSON or a plain list. */
function listItems(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return value.split(',').map((v) => v.trim()).filter(Boolean);
  }
}

function SettingInput({ field, props }: { field: SettingField; props: SettingsPageProps }): VNode {
  const { t } = props;
  const id = `settings_${field.name}`;
  const name = `settings[${field.name}]`;
  const value = props.values[field.name];
  const label = t(`setting_${field.name}` as MessageKey);
  switch (field.input) {
    case 'check':
      return (
        <p>
          <label for={id}>{label}</label>
          <input type="hidden" name={name} value="0" />
          <input type="checkbox" id={id} name={name} value="1" checked={value === '1'} />
        </p>
      );
    case 'wiki':
      return (
        <p>
          <label for={id}>{label}</label>
          <WikiTextarea id={id} name={name} value={value} t={t} textFormatting={props.values.text_formatting} rows={8} />
        </p>
      );
    case 'select': {
      // A choice setting offers only what it accepts (Redmine starts weeks on Monday, Saturday or Sunday only).
      const kind = SETTINGS[field.name].kind;
      const options = choicesOf(field.choices, props, value).filter((o) => kind.type !== 'choice' || kind.choices.includes(o.value));
      return (
        <p>
          <label for={id}>{label}</label>
          <select id={id} name={name}>
            {field.blank ? (
              <option value="" selected={value === ''}>
                {t(field.blank)}
              </option>
            ) : null}
            {options.map((o) => (
              <option value={o.value} selected={o.value === value} data-confirm={field.confirm?.value === o.value ? t(field.confirm.text) : undefined}>
                {o.label}
              </option>
            ))}
          </select>
          {field.hint ? <em class="info">{t(field.hint)}</em> : null}
        </p>
      );
    }
    case 'checklist': {
      const chosen = new Set(listItems(value));
      return (
        <fieldset class="setting-list" id={id}>
          <legend>{label}</legend>
          <input type="hidden" name={`${name}[]`} value="" />
          {choicesOf(field.choices, props, value).map((o) => (
            <label class="block">
              <input type="checkbox" name={`${name}[]`} value={o.value} checked={chosen.has(o.value)} /> {o.label}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'number':
    case 'text':
      return (
        <p>
          <label for={id}>{label}</label>
          <input type="text" id={id} name={name} value={value} size={field.input === 'number' ? 6 : (field.size ?? 30)} inputMode={field.input === 'number' ? 'numeric' : undefined} />
          {field.hint ? <em class="info">{t(field.hint)}</em> : null}
        </p>
      );
  }
}

export function SettingsPage(props: SettingsPageProps): VNode {
  const { t, tab } = props;
  const tabs = SETTINGS_TABS.map((each) => ({ name: each.name, label: t(each.label), href: `/settings?tab=${each.name}` }));
  return (
    <>
      <h2>{t('label_settings')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <Tabs tabs={tabs} selected={tab.name}>
        <form method="post" action={`/settings/edit?tab=${tab.name}`} id={`settings-${tab.name}`}>
          <CsrfField token={props.csrfToken} />
          <div class="box tabular settings">
            {tab.fields.map((field) => (
              <SettingInput field={field} props={props} />
            ))}
          </div>
          <p class="buttons">
            <button type="submit" class="primary">
              {t('button_save')}
            </button>
          </p>
        </form>
      </Tabs>
    </>
  );
}
