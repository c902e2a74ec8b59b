/**
 * The page routes that need sudo mode (security.md §4; Redmine's `require_sudo_mode` lists), by method
 * and Fastify route pattern, in one place: the guard (sudo.guard.tsx) reads this list, and a test
 * checks that every entry is a registered route, so a renamed route cannot silently drop out.
 *
 * Each route names who may use it at all (`access`, checked by sudo.access.ts with the same policies
 * the route applies): someone who may not is not asked for a password, the route itself answers (403
 * or 404), as Redmine's permission filters run before its sudo filter.
 */
export type SudoAccess = 'self' | 'admin' | 'manage_members' | 'delete_project';

export interface SudoRoute {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly access: SudoAccess;
}

const post =
  (access: SudoAccess) =>
  (...urls: string[]): SudoRoute[] =>
    urls.map((url) => ({ method: 'POST', url, access }));
const own = post('self');
const admin = post('admin');

export const SUDO_ROUTES: readonly SudoRoute[] = [
  // My account: its edits, the API key (showing it too, as Redmine), the second factor.
  ...own('/my/account', '/my/api_key'),
  { method: 'GET', url: '/my/api_key', access: 'self' },
  ...own(
    '/my/twofa/activate/init',
    '/my/twofa/:scheme/activate/init',
    '/my/twofa/:scheme/activate',
    '/my/twofa/:scheme/deactivate/init',
    '/my/twofa/:scheme/deactivate',
    '/my/twofa/backup_codes/init',
    '/my/twofa/backup_codes/create',
  ),
  // Administration: users, groups, roles, settings, the IP address filter, single sign-on.
  ...admin('/users', '/users/:id', '/users/:id/delete', '/users/:id/sessions/delete', '/users/:user_id/twofa/deactivate', '/users/:id/sign_in_lock/delete'),
  ...admin('/users/:id/memberships', '/users/:id/memberships/:membership_id', '/users/:id/memberships/:membership_id/delete'),
  ...admin('/groups', '/groups/:id', '/groups/:id/delete', '/groups/:id/users', '/groups/:id/users/:user_id/delete'),
  ...admin('/groups/:id/memberships', '/groups/:id/memberships/:membership_id', '/groups/:id/memberships/:membership_id/delete'),
  ...admin('/roles', '/roles/:id', '/roles/:id/delete', '/roles/permissions'),
  ...admin('/settings/edit', '/admin/ip_filter', '/admin/oidc'),
  // Projects: members, deletion.
  ...post('manage_members')('/projects/:id/memberships', '/memberships/:id', '/memberships/:id/delete'),
  ...post('delete_project')('/projects/:id/destroy'),
];

const BY_KEY = new Map(SUDO_ROUTES.map((route) => [`${route.method} ${route.url}`, route]));

/** The entry of the route (method and pattern, `request.routeOptions.url`) when it needs sudo mode. */
export function sudoRouteOf(method: string, url: string | undefined): SudoRoute | undefined {
  return url === undefined ? undefined : BY_KEY.get(`${method} ${url}`);
}
