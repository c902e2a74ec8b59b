/**
 * Administration is all or nothing (Redmine's `require_admin`): the configuration of a tenant —
 * roles, trackers, statuses, workflows, custom fields, enumerations — is written by administrators
 * only, whatever roles a user holds in projects.
 */
import { ForbiddenError, UnauthenticatedError } from '#src/errors.ts';
import type { Actor } from './authorization.ts';

/** Throws unless the actor is an administrator: anonymous visitors are asked to sign in, others refused. */
export function assertAdministrator(actor: Actor): void {
  if (actor.isAdmin) {
    return;
  }
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('administrators only');
}
