/**
 * Administration for other features: the admin sidebar menu, the frame every admin page uses
 * (administrators only, the menu in the sidebar), tabs and list paging. The admin pages themselves
 * are `adminPages`.
 */
export { ADMIN_MENU_ENTRIES, AdminMenu, type AdminMenuEntry, type AdminMenuKey } from './views/admin-menu.tsx';
export { Tabs, type TabLink } from './views/tabs.tsx';
export { requireAdministrator, sendAdminPage } from './admin.page.tsx';
export { listPageOf, perPageOptions, type ListPage } from './admin.paging.ts';
