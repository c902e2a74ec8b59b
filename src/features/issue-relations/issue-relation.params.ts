/** A new relation as a request names it (`relation[relation_type]`, `relation[issue_to_id]`, `relation[delay]`), for the API and the issue page. */
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import type { NewRelationInput } from './issue-relation.service.ts';

/**
 * `issue_to_id` the way Redmine's controller reads it: a string is a comma-separated list, a number
 * one id, an array its items; missing or blank is one blank entry (which fails as "cannot be blank").
 */
function issueToIdsOf(value: ParamValue | undefined): string[] {
  if (typeof value === 'string') {
    const ids = value.split(',').filter((id) => id.trim() !== '');
    return ids.length > 0 ? ids : [''];
  }
  if (typeof value === 'number') {
    return [String(value)];
  }
  if (Array.isArray(value) && value.length > 0) {
    return value.map((item) => paramString(item) ?? '');
  }
  return [''];
}

/** Rails' numericality on `delay`: blank is none, a number (integer part kept), else invalid. */
function delayOf(value: ParamValue | undefined): number | null | 'invalid' {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return null;
  }
  const text = paramString(value)?.trim();
  const n = text !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= 2_147_483_647 ? Math.trunc(n) + 0 : 'invalid';
}

export function newRelationOf(params: Params): NewRelationInput {
  const relation = paramObject(params.relation) ?? {};
  const type = Object.hasOwn(relation, 'relation_type') ? (paramString(relation.relation_type) ?? null) : undefined;
  return { issueToIds: issueToIdsOf(relation.issue_to_id), relationType: type, delay: delayOf(relation.delay) };
}
