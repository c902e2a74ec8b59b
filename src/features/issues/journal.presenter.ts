/** An issue's history as the `journals` include shows it (§6.1.2): what the actor may read only. */
import { list, node, ref, isoTime, type ApiValue } from '#src/api/resource.ts';
import type { JournalRow } from './journal.repository.ts';

export interface JournalVisibility {
  /** May the actor read this private note (view_private_notes, or their own)? */
  readonly privateNoteVisible: (authorId: number) => boolean;
  /** May the actor see this custom field's changes? */
  readonly customFieldVisible: (fieldId: number) => boolean;
}


/** Journals the actor sees, in order; a journal left with neither notes nor visible details is dropped. */
export function presentJournals(rows: readonly JournalRow[], visibility: JournalVisibility): ApiValue {
  const items: ApiValue[] = [];
  for (const j of rows) {
    if (j.private_notes && !visibility.privateNoteVisible(j.user_id)) {
      continue;
    }
    const details = j.details.filter((d) => d.property !== 'cf' || visibility.customFieldVisible(Number(d.prop_key)));
    if (!j.notes && details.length === 0) {
      continue;
    }
    items.push(
      node(
        { id: j.id },
        {
          user: j.user_name !== null ? ref({ id: j.user_id, name: j.user_name }) : undefined,
          notes: j.notes ?? '',
          created_on: isoTime(j.created_on),
          updated_on: isoTime(j.updated_on ?? j.created_on),
          updated_by: j.updated_by_id !== null && j.updated_by_name !== null ? ref({ id: j.updated_by_id, name: j.updated_by_name }) : undefined,
          private_notes: j.private_notes,
          details: list(
            'detail',
            details.map((d) => node({ property: d.property, name: d.prop_key }, { old_value: d.old_value, new_value: d.value })),
          ),
        },
      ),
    );
  }
  return list('journal', items);
}
