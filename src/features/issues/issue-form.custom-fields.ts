/**
 * The custom fields of the issue form: those of the project and tracker the user sees, each read-only
 * or required as the workflow says in the issue's status, with its choices and the value to show
 * (what the user typed, else what is stored, else the default of a new issue).
 */
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { allowedRecordIdsFor, customFieldInputOf, customFieldVisibleTo, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { Params } from '#src/api/params.ts';
import { attachmentsById } from '#src/features/attachments/index.ts';
import type { IssueContext } from './issue.plan.ts';
import { selectPrincipals, selectVersionNames } from './issue-form.repository.ts';
import type { Choice, CustomFieldModel } from './issue-form.types.ts';
import type { FieldRule } from './issue.workflow.ts';
import { formatUserName } from '#src/views/format.ts';

export interface CustomFieldsQuestion {
  readonly fields: readonly CustomFieldDef[];
  readonly projectId: number;
  readonly access: ProjectAccess;
  /** Rules in the draft's status (with the roles' hidden fields read-only). */
  readonly rules: ReadonlyMap<string, FieldRule>;
  readonly raw: Params;
  readonly stored: ReadonlyMap<number, readonly string[]>;
  readonly isNew: boolean;
  readonly attributesEditable: boolean;
}

/**
 * A file field's file as the form shows it: what this post sent (an upload's token with its name, or
 * the stored file kept by its id), else the stored file.
 */
async function fileOf(ctx: IssueContext, typed: string | string[] | undefined, stored: readonly string[]): Promise<CustomFieldModel['file']> {
  let sent: Record<string, unknown> | undefined;
  if (typeof typed === 'string' && typed.startsWith('{')) {
    try {
      sent = JSON.parse(typed) as Record<string, unknown>;
    } catch {
      sent = undefined;
    }
  }
  if (sent && typeof sent.token === 'string' && sent.token !== '') {
    return { token: sent.token, filename: typeof sent.filename === 'string' ? sent.filename : '' };
  }
  const sentId = typeof sent?.id === 'string' || typeof sent?.id === 'number' ? String(sent.id) : '';
  const id = sent ? sentId : typed === undefined ? (stored[0] ?? '') : String(typed);
  if (!/^\d{1,9}$/.test(id) || !stored.includes(id)) {
    return undefined;
  }
  const [row] = await attachmentsById(ctx.db, [Number(id)]);
  return row ? { id: row.id, filename: row.filename } : undefined;
}

function styleOf(field: CustomFieldDef): CustomFieldModel['style'] {
  const style = field.formatStore.edit_tag_style;
  if (style === 'check_box') {
    return field.multiple ? 'check_box' : 'radio';
  }
  return style === 'radio' ? 'radio' : 'select';
}

async function choicesOf(ctx: IssueContext, field: CustomFieldDef, allowed: ReadonlyMap<number, ReadonlySet<number>>, values: readonly string[]): Promise<Choice[]> {
  switch (field.fieldFormat) {
    case 'list':
      return field.possibleValues.map((value) => ({ value, label: value }));
    case 'enumeration':
      return field.enumerations.filter((e) => e.active || values.includes(String(e.id))).map((e) => ({ value: String(e.id), label: e.name }));
    case 'bool':
      return [
        { value: '1', label: '1' },
        { value: '0', label: '0' },
      ];
    case 'user': {
      const ids = [...new Set([...(allowed.get(field.id) ?? []), ...values.filter((v) => /^\d{1,9}$/.test(v)).map(Number)])];
      const users = await selectPrincipals(ctx.db, ids);
      return users
        .map((u) => ({ value: String(u.id), label: u.type === 'Group' ? u.lastname : formatUserName(u, ctx.settings.user_format) }))
        .sort((a, b) => a.label.localeCompare(b.label));
    }
    case 'version': {
      const ids = [...new Set([...(allowed.get(field.id) ?? []), ...values.filter((v) => /^\d{1,9}$/.test(v)).map(Number)])];
      return (await selectVersionNames(ctx.db, ids)).map((v) => ({ value: String(v.id), label: v.name }));
    }
    default:
      return [];
  }
}

function textOf(field: CustomFieldDef, values: readonly string[], choices: readonly Choice[]): string {
  const present = values.filter((v) => v !== '');
  if (choices.length === 0 || field.fieldFormat === 'bool') {
    return present.join(', ');
  }
  return present.map((v) => choices.find((c) => c.value === v)?.label ?? v).join(', ');
}

/** The custom field models of the form, in the fields' order. */
export async function customFieldModels(ctx: IssueContext, actor: Actor, q: CustomFieldsQuestion): Promise<CustomFieldModel[]> {
  const visible = q.fields.filter((f) => customFieldVisibleTo(f, actor, q.projectId, q.access));
  const given = customFieldInputOf(q.raw) ?? new Map<number, string | string[]>();
  const allowed = await allowedRecordIdsFor(ctx.db, visible, q.projectId);
  const models: CustomFieldModel[] = [];
  for (const field of visible) {
    const typed = given.get(field.id);
    const values =
      typed !== undefined
        ? (Array.isArray(typed) ? typed : [typed]).filter((v, i, all) => v !== '' || all.length === 1)
        : (q.stored.get(field.id) ?? (q.isNew && field.defaultValue !== null ? [field.defaultValue] : []));
    const rule = q.rules.get(String(field.id));
    const choices = await choicesOf(ctx, field, allowed, values);
    const file = field.fieldFormat === 'attachment' ? await fileOf(ctx, typed, q.stored.get(field.id) ?? []) : undefined;
    models.push({
      id: field.id,
      name: field.name,
      description: field.description,
      format: field.fieldFormat,
      multiple: field.multiple,
      required: field.isRequired || rule === 'required',
      readonly: !q.attributesEditable || rule === 'readonly',
      style: styleOf(field),
      values,
      choices,
      text: file ? file.filename : field.fieldFormat === 'attachment' ? '' : textOf(field, values, choices),
      file,
    });
  }
  return models;
}
