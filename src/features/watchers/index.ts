/**
 * Watchers of issues: users and groups notified of an issue's changes. The issue feature uses
 * `watchersOf`/`presentWatchers` for `include=watchers` and `addWatchers` for `watcher_user_ids` on
 * create; the REST routes are `watchersApi`, the issue page's forms `watchersPages`.
 */
export { addIssueWatchers, addWatchers, removeIssueWatcher, setIssuesWatched, watchersOf, type WatcherContext } from './watcher.service.ts';
export { presentWatchers } from './watcher.presenter.ts';
export type { WatcherRow } from './watcher.repository.ts';
export { watchersApi } from './watchers.api.ts';
