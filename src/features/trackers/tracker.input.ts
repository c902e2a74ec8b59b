/**
 * The tracker form: reading `tracker[...]` (a key left out keeps its value), the standard fields as
 * `fields_bits` (Redmine's Tracker#core_fields=), applying it to a tracker, and Redmine's
 * validation messages. Pure.
 */
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { TRACKER_CORE_FIELDS } from '#src/features/reference-data/reference-data.presenter.ts';
import type { TrackerRecord } from './tracker.repository.ts';

export { TRACKER_CORE_FIELDS };

export interface TrackerInput {
  readonly name?: string;
  readonly defaultStatusId?: number | null;
  readonly isInRoadmap?: boolean;
  readonly privateByDefault?: boolean;
  readonly description?: string;
  /** The standard fields the tracker enables (the others are disabled). */
  readonly coreFields?: readonly string[];
  readonly customFieldIds?: readonly number[];
  readonly projectIds?: readonly number[];
  readonly position?: number;
}

/** A tracker as the form shows it (no id while new), with its custom fields and projects. */
export interface TrackerDraft {
  readonly tracker: Omit<TrackerRecord, 'id'> & { readonly id: number | undefined };
  readonly customFieldIds: readonly number[];
  readonly projectIds: readonly number[];
}

const ID = /^\d{1,9}$/;

const ids = (value: Params[string] | undefined) => paramList(value).filter((item) => ID.test(item)).map(Number);

const bool = (value: Params[string] | undefined) => {
  const text = paramString(value);
  return text === '1' || text === 'true';
};

/** Bit i set = core field i disabled. */
export function fieldsBitsOf(enabled: readonly string[]): number {
  return TRACKER_CORE_FIELDS.reduce((bits, field, i) => (enabled.includes(field) ? bits : bits | (1 << i)), 0);
}

export function enabledCoreFields(bits: number): string[] {
  return TRACKER_CORE_FIELDS.filter((_, i) => (bits & (1 << i)) === 0);
}

/** `tracker[...]` of a form body; keys not sent stay undefined (unchanged). */
export function trackerInputOf(params: Params): TrackerInput {
  const tracker = paramObject(params.tracker) ?? {};
  const has = (key: string) => Object.hasOwn(tracker, key);
  const input: { -readonly [K in keyof TrackerInput]: TrackerInput[K] } = {};
  if (has('name')) {
    input.name = paramString(tracker.name) ?? '';
  }
  if (has('default_status_id')) {
    const text = paramString(tracker.default_status_id) ?? '';
    input.defaultStatusId = ID.test(text) ? Number(text) : null;
  }
  if (has('is_in_roadmap')) {
    input.isInRoadmap = bool(tracker.is_in_roadmap);
  }
  if (has('private_by_default')) {
    input.privateByDefault = bool(tracker.private_by_default);
  }
  if (has('description')) {
    input.description = paramString(tracker.description) ?? '';
  }
  if (has('core_fields')) {
    input.coreFields = paramList(tracker.core_fields).filter((field) => (TRACKER_CORE_FIELDS as readonly string[]).includes(field));
  }
  if (has('custom_field_ids')) {
    input.customFieldIds = ids(tracker.custom_field_ids);
  }
  if (has('project_ids')) {
    input.projectIds = ids(tracker.project_ids);
  }
  if (has('position')) {
    const text = paramString(tracker.position) ?? '';
    if (/^\d{1,6}$/.test(text)) {
      input.position = Number(text);
    }
  }
  return input;
}

export function applyTrackerInput(draft: TrackerDraft, input: TrackerInput): TrackerDraft {
  const tracker = draft.tracker;
  return {
    tracker: {
      ...tracker,
      name: input.name !== undefined ? input.name.trim() : tracker.name,
      default_status_id: input.defaultStatusId !== undefined ? input.defaultStatusId : tracker.default_status_id,
      is_in_roadmap: input.isInRoadmap ?? tracker.is_in_roadmap,
      private_by_default: input.privateByDefault ?? tracker.private_by_default,
      description: input.description !== undefined ? input.description : tracker.description,
      fields_bits: input.coreFields ? fieldsBitsOf(input.coreFields) : tracker.fields_bits,
    },
    customFieldIds: input.customFieldIds ?? draft.customFieldIds,
    projectIds: input.projectIds ?? draft.projectIds,
  };
}

/** A new tracker: the first status as default, every standard field, in the roadmap. */
export function newTrackerDraft(firstStatusId: number | null): TrackerDraft {
  return {
    tracker: {
      id: undefined,
      name: '',
      description: null,
      position: null,
      is_in_roadmap: true,
      fields_bits: 0,
      default_status_id: firstStatusId,
      private_by_default: false,
    },
    customFieldIds: [],
    projectIds: [],
  };
}

/** Tracker#copy_from: everything but the name and position, with the same custom fields and projects. */
export function copiedTrackerDraft(source: TrackerRecord, customFieldIds: readonly number[], projectIds: readonly number[]): TrackerDraft {
  return { tracker: { ...source, id: undefined, name: '', position: null }, customFieldIds, projectIds };
}

export function trackerErrors(tracker: TrackerDraft['tracker'], facts: { nameTaken: boolean; statusExists: boolean }): string[] {
  const errors: string[] = [];
  if (!facts.statusExists) {
    errors.push('Default status cannot be blank');
  }
  if (tracker.name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (facts.nameTaken) {
    errors.push('Name has already been taken');
  }
  if ([...tracker.name].length > 30) {
    errors.push('Name is too long (maximum is 30 characters)');
  }
  if ([...(tracker.description ?? '')].length > 255) {
    errors.push('Description is too long (maximum is 255 characters)');
  }
  return errors;
}
