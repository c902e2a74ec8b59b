/**
 * The page routes that need sudo mode (security.md §4; Redmine's `require_sudo_mode` lists), by method
 * and Fastify route pattern, in one place: the guard (sudo.guard.tsx) reads this list, and a test
 * checks that every entry is a registered route, so a renamed route cannot silently drop out.
 */
export interface SudoRoute {
  readonly method: 'GET' | 'POST';
  readonly url: string;
}

const post = (...urls: string[]): SudoRoute[] => urls.map((url) => ({ method: 'POST', url }));

export const SUDO_ROUTES: readonly SudoRoute[] = [
  // My account: its edits, the API key (showing it too, as Redmine), the second factor.
  ...post('/my/account', '/my/api_key'),
  { method: 'GET', url: '/my/api_key' },
  ...post(
    '/my/twofa/activate/init',
    '/my/twofa/:scheme/activate/init',
    '/my/twofa/:scheme/activate',
    '/my/twofa/:scheme/deactivate/init',
    '/my/twofa/:scheme/deactivate',
    '/my/twofa/backup_codes/init',
    '/my/twofa/backup_codes/create',
  ),
  // Administration: users, groups, roles, settings, the IP address filter, single sign-on.
  ...post('/users', '/users/:id', '/users/:id/delete', '/users/:id/sessions/delete', '/users/:user_id/twofa/deactivate'),
  ...post('/users/:id/memberships', '/users/:id/memberships/:membership_id', '/users/:id/memberships/:membership_id/delete'),
  ...post('/groups', '/groups/:id', '/groups/:id/delete', '/groups/:id/users', '/groups/:id/users/:user_id/delete'),
  ...post('/groups/:id/memberships', '/groups/:id/memberships/:membership_id', '/groups/:id/memberships/:membership_id/delete'),
  ...post('/roles', '/roles/:id', '/roles/:id/delete', '/roles/permissions'),
  ...post('/settings/edit', '/admin/ip_filter', '/admin/oidc'),
  // Projects: members, deletion.
  ...post('/projects/:id/memberships', '/memberships/:id', '/memberships/:id/delete'),
  ...post('/projects/:id/destroy'),
];

const KEYS = new Set(SUDO_ROUTES.map(({ method, url }) => `${method} ${url}`));

/** Does the route (method and pattern, `request.routeOptions.url`) need sudo mode? */
export function needsSudo(method: string, url: string | undefined): boolean {
  return url !== undefined && KEYS.has(`${method} ${url}`);
}
