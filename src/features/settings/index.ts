/** Tenant settings: Redmine's names and defaults, validated before they are stored. */
import type { Orm } from '#src/db/database.ts';
import { ValidationError } from '#src/errors.ts';
import { isSettingName, parseSettingList, SETTINGS, settingValueProblem, type SettingName } from './setting-definitions.ts';
import { readStoredSettings, writeSetting } from './setting.repository.ts';

export { SETTINGS, isSettingName, parseSettingList, type SettingName } from './setting-definitions.ts';

export type Settings = Readonly<Record<SettingName, string>>;

/** Every known setting: the stored value, or Redmine's default. */
export async function loadSettings(orm: Orm): Promise<Settings> {
  const stored = await readStoredSettings(orm);
  const out: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    out[name] = stored.get(name) ?? SETTINGS[name].default;
  }
  return out as Settings;
}

/** Validates and stores one setting; unknown names and bad values are refused. */
export async function updateSetting(orm: Orm, name: string, value: string, now: Date): Promise<void> {
  if (!isSettingName(name)) {
    throw new ValidationError([`Setting ${name} is unknown`]);
  }
  const problem = settingValueProblem(name, value);
  if (problem) {
    throw new ValidationError([`Setting ${name} ${problem}`]);
  }
  // Lists are stored as JSON whichever way they were written.
  const stored = SETTINGS[name].kind.type === 'list' ? JSON.stringify(parseSettingList(value)) : value;
  await writeSetting(orm, name, stored, now);
}

/** The items of a list setting. */
export function settingList(settings: Settings, name: SettingName): string[] {
  return parseSettingList(settings[name]) ?? [];
}
