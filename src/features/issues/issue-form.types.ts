/**
 * The issue form's view model: everything `IssueForm` shows, decided by `loadIssueFormModel`
 * (issue-form.model.ts). Plain data, so the form renders the same inside another page.
 */

/** One option of a select (or checkbox list): the value posted and the name shown. */
export interface Choice {
  readonly value: string;
  readonly label: string;
}

/**
 * How the form shows a field: as a control, as text (the workflow makes it read-only in this status,
 * or subtasks compute it), or not at all (the tracker disables it, or the user may not set it).
 */
export type FieldState = 'editable' | 'readonly' | 'hidden';

export interface CoreField {
  readonly state: FieldState;
  readonly required: boolean;
  /** The value as the form posts it. */
  readonly value: string;
  /** The value as read (a read-only field shows it). */
  readonly text: string;
  /** A read-only description, formatted. */
  readonly html?: string | undefined;
  readonly choices: readonly Choice[];
}

/** The standard fields, by Redmine's form names (`issue[<name>]`). */
export const CORE_FIELDS = [
  'project_id',
  'tracker_id',
  'is_private',
  'subject',
  'description',
  'status_id',
  'priority_id',
  'assigned_to_id',
  'category_id',
  'fixed_version_id',
  'parent_issue_id',
  'start_date',
  'due_date',
  'estimated_hours',
  'done_ratio',
] as const;

export type CoreFieldName = (typeof CORE_FIELDS)[number];

export interface CustomFieldModel {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  /** Redmine's field format: string, text, int, float, date, bool, list, enumeration, user, version, link. */
  readonly format: string;
  readonly multiple: boolean;
  readonly required: boolean;
  readonly readonly: boolean;
  /** `check_box` / `radio` for lists shown as boxes (the field's edit_tag_style), else a select. */
  readonly style: 'select' | 'check_box' | 'radio';
  readonly values: readonly string[];
  readonly choices: readonly Choice[];
  /** The values as read. */
  readonly text: string;
  /** A file field's file: the stored one (id) or one uploaded by a refused post of this form (token). */
  readonly file?: { readonly id?: number; readonly token?: string; readonly filename: string } | undefined;
}

/** A file stored by an earlier post of this form: its token goes with the next post. */
export interface KeptUpload {
  readonly token: string;
  readonly filename: string;
  readonly description: string;
}

export interface CopyModel {
  readonly from: number;
  /** Each checkbox is shown only when the settings ask and the source has something to copy. */
  readonly attachments?: { readonly checked: boolean } | undefined;
  readonly subtasks?: { readonly checked: boolean } | undefined;
  readonly link?: { readonly checked: boolean } | undefined;
}

export interface IssueFormModel {
  readonly mode: 'new' | 'edit';
  /** Where the form posts. */
  readonly action: string;
  /** Where the island (or the Update form button) asks for the form again after a change. */
  readonly refreshUrl: string;
  readonly project: { readonly id: number; readonly identifier: string; readonly name: string };
  /** The issue being edited. */
  readonly issue?: { readonly id: number; readonly lockVersion: string; readonly trackerName: string; readonly subject: string } | undefined;
  readonly copy?: CopyModel | undefined;
  /** No tracker may be used in the project: the form cannot be filled. */
  readonly noTracker: boolean;
  /** May the user change the attributes (or only add notes)? */
  readonly attributesEditable: boolean;
  readonly fields: Readonly<Record<CoreFieldName, CoreField>>;
  /** The current user's id when they may be assigned (Redmine's "<< me >>" option). */
  readonly meId: string | undefined;
  readonly customFields: readonly CustomFieldModel[];
  /** New issue with add_issue_watchers: the users who may watch it. */
  readonly watchers?: { readonly choices: readonly Choice[]; readonly checked: readonly string[] } | undefined;
  /** Edit: the notes. */
  readonly notes?: { readonly value: string; readonly privateNotes: boolean; readonly privateAllowed: boolean } | undefined;
  /** Edit with log_time: the time to log with the change. */
  readonly timeEntry?: { readonly hours: string; readonly activityId: string; readonly comments: string; readonly activities: readonly Choice[] } | undefined;
  readonly uploads: readonly KeptUpload[];
  /** attachment_max_size, in KB. */
  readonly maxFileSizeKb: number;
  readonly errors: readonly string[];
  /** The post came from a stale form: the user chooses how to go on. */
  readonly conflict: boolean;
}
