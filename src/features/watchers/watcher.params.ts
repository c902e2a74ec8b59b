/** The principals a request names as watchers (`watcher[user_ids][]`, `watcher[user_id]` or `user_id`), for the API and the issue page. */
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';

/** An id the way Rails casts it for a query: a number, or a string's leading digits (Ruby's to_i). */
function principalIdOf(value: ParamValue): number | undefined {
  const n = typeof value === 'number' ? Math.trunc(value) : Number.parseInt(paramString(value)?.trim() ?? '', 10);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `watcher[user_ids]` (else `watcher[user_id]`) when a `watcher` is given, else `user_id`; one or many. */
export function principalIdsOf(params: Params): number[] {
  const watcher = paramObject(params.watcher);
  const given = watcher ? (watcher.user_ids ?? watcher.user_id) : params.user_id;
  const values = Array.isArray(given) ? given.flat() : given === undefined || given === null ? [] : [given];
  return [...new Set(values.map(principalIdOf).filter((id): id is number => id !== undefined))];
}
