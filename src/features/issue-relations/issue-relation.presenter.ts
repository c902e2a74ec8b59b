/** A relation as Redmine's API shows it (§6.8): five members, `delay` null unless `precedes`. */
import { ref, type ApiObject, type RefValue } from '#src/api/resource.ts';
import type { RelationRow } from './issue-relation.repository.ts';

function fields(r: RelationRow) {
  return { id: r.id, issue_id: r.issueFromId, issue_to_id: r.issueToId, relation_type: r.relationType, delay: r.delay };
}

/** For /relations and /issues/:id/relations: XML child elements (`<relation><id>1</id>…`). */
export function presentRelation(r: RelationRow): ApiObject {
  return fields(r);
}

/** For an issue's `include=relations`: the same members, as XML attributes (`<relation id="1" …/>`). */
export function presentRelationRef(r: RelationRow): RefValue {
  return ref(fields(r));
}
