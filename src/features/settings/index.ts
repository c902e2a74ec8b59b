/** Tenant settings: Redmine's names and defaults, validated before they are stored. */
import type { Orm } from '#src/db/database.ts';
import { queryableOf } from '#src/db/sql.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
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

/** One setting's value changed by `updateSettings`. */
export interface SettingChange {
  readonly name: SettingName;
  readonly from: string;
  readonly to: string;
}

/** A refusal of `updateSettings`: each refused setting with why (Redmine-style English messages in `errors`). */
export class SettingsValidationError extends ValidationError {
  readonly problems: readonly { readonly name: SettingName; readonly problem: string }[];

  constructor(problems: readonly { readonly name: SettingName; readonly problem: string }[]) {
    super(problems.map((p) => `Setting ${p.name} ${p.problem}`));
    this.problems = problems;
  }
}

/** The longest value a `setting.update` event keeps (welcome texts can be long). */
const AUDIT_VALUE_LENGTH = 200;

/** A setting whose value must stay off the audit trail (none today; a key or password setting would be). */
const isSecretSetting = (name: string) => /password|secret|token|_key$/.test(name);

function auditedValue(name: SettingName, value: string): string {
  if (isSecretSetting(name)) {
    return '[FILTERED]';
  }
  return value.length > AUDIT_VALUE_LENGTH ? `${value.slice(0, AUDIT_VALUE_LENGTH)}…` : value;
}

/**
 * Validates every value first and stores none if one is refused; then writes, in one transaction,
 * those that differ from the current value (lists compared as stored, in JSON), each recorded on the
 * audit trail as `setting.update` with its old → new value. Returns what changed.
 */
export async function updateSettings(
  orm: Orm,
  values: Readonly<Partial<Record<SettingName, string>>>,
  now: Date,
  auditSource: AuditSource,
): Promise<SettingChange[]> {
  const entries = Object.entries(values) as [SettingName, string][];
  const problems = entries.flatMap(([name, value]) => {
    const problem = settingValueProblem(name, value);
    return problem ? [{ name, problem }] : [];
  });
  if (problems.length > 0) {
    throw new SettingsValidationError(problems);
  }
  const current = await loadSettings(orm);
  const changes = entries
    .map(([name, value]) => ({ name, from: current[name], to: SETTINGS[name].kind.type === 'list' ? JSON.stringify(parseSettingList(value)) : value }))
    .filter((change) => change.from !== change.to);
  if (changes.length > 0) {
    await orm.transaction(async (tx) => {
      for (const change of changes) {
        await writeSetting(tx, change.name, change.to, now);
        await recordAudit(queryableOf(tx), {
          event: 'setting.update',
          source: auditSource,
          target: { type: 'Setting', name: change.name },
          details: { setting: change.name, from: auditedValue(change.name, change.from), to: auditedValue(change.name, change.to) },
        });
      }
    });
  }
  return changes;
}
