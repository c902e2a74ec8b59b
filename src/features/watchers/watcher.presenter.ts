/** An issue's watchers as Redmine's API shows them: `[{"id", "name"}]` / `<watchers type="array"><user id=… name=…/>`. */
import { list, ref, type ListValue } from '#src/api/resource.ts';
import type { WatcherRow } from './watcher.repository.ts';

export function presentWatchers(watchers: readonly WatcherRow[]): ListValue {
  return list('user', watchers.map((w) => ref({ id: w.id, name: w.name })));
}
