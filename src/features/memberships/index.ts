/**
 * Project memberships (Redmine's Member / MemberRole): who belongs to a project with which roles,
 * directly or inherited from a group or a parent project. Other features use these services; the
 * REST routes are `membershipsApi` in memberships.api.ts. Projects do not import this module (it
 * imports them): the app hands `syncInheritedMembers` to the project routes.
 */
export {
  createMemberships,
  deleteMembership,
  getMembership,
  giveGroupRolesToUsers,
  listProjectMemberships,
  removeMembershipsOf,
  syncInheritedMembers,
  takeGroupRolesFromUser,
  updateMembershipRoles,
  type MembershipChangeContext,
  type MembershipContext,
  type MembershipRolesInput,
  type NewMembershipsInput,
} from './membership.service.ts';
export { presentMembership } from './membership.presenter.ts';
export { newMembershipsOf, rolesInputOf } from './membership.input.ts';
export {
  listAssignablePrincipals,
  listMemberCandidates,
  loadMemberSettings,
  loadMembershipForEdit,
  type MemberLine,
  type MemberSettings,
  type PrincipalChoiceRow,
} from './membership.settings.ts';
export type { MembershipRoleRow, MembershipRow, PrincipalRow, PrincipalType } from './membership.repository.ts';
