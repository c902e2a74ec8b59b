/**
 * The posts of the projects tab of a user or group (Redmine's PrincipalMembershipsController):
 * `POST <prefix>/:id/memberships` adds the principal to projects, `POST …/memberships/:membership_id`
 * changes the roles, `…/delete` removes the membership. A refused post shows the tab again with the
 * messages (422); a success goes back to the tab with a notice.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramIdList, paramObject } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { ValidationError } from '#src/errors.ts';
import { setFlash } from '#src/http/flash.ts';
import type { Translate } from '#src/i18n/index.ts';
import { addPrincipalMemberships, changePrincipalMembershipRoles, removePrincipalMembership, type PrincipalKind } from './principal-memberships.service.ts';
import type { UserContext } from './user.service.ts';

export interface PrincipalMembershipPagesOptions {
  readonly kind: PrincipalKind;
  /** `/users` or `/groups`. */
  readonly prefix: string;
  /** The administrator's context (refuses anyone else). */
  readonly context: (request: FastifyRequest) => Promise<UserContext>;
  /** Shows the memberships tab again with the refusal's messages. */
  readonly sendTab: (request: FastifyRequest, reply: FastifyReply, errors: (t: Translate) => readonly string[]) => Promise<unknown>;
}

function idParam(value: string | undefined): number {
  return /^\d{1,9}$/.test(value ?? '') ? Number(value) : -1;
}

export async function principalMembershipPages(app: FastifyInstance, options: PrincipalMembershipPagesOptions): Promise<void> {
  const { kind, prefix } = options;

  async function run(request: FastifyRequest, reply: FastifyReply, action: (ctx: UserContext, id: number, membershipId: number) => Promise<void>) {
    const ctx = await options.context(request);
    const params = request.params as { id?: string; membership_id?: string };
    const id = idParam(params.id);
    try {
      await action(ctx, id, idParam(params.membership_id));
    } catch (error) {
      if (error instanceof ValidationError) {
        // A membership that cannot go is refused without a message (Redmine's bare 422).
        return options.sendTab(request, reply, (t) => (error.errors.length > 0 ? error.errors : [t('error_can_not_delete')]));
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`${prefix}/${id}/edit?tab=memberships`, 303);
  }

  const membershipOf = (request: FastifyRequest) => paramObject(apiParams(request).membership) ?? {};

  app.post(`${prefix}/:id/memberships`, (request, reply) =>
    run(request, reply, (ctx, id) => {
      const membership = membershipOf(request);
      return addPrincipalMemberships(ctx, kind, id, paramIdList(membership.project_ids), paramIdList(membership.role_ids));
    }),
  );

  app.post(`${prefix}/:id/memberships/:membership_id`, (request, reply) =>
    run(request, reply, (ctx, id, membershipId) => changePrincipalMembershipRoles(ctx, kind, id, membershipId, paramIdList(membershipOf(request).role_ids))),
  );

  app.post(`${prefix}/:id/memberships/:membership_id/delete`, (request, reply) =>
    run(request, reply, (ctx, id, membershipId) => removePrincipalMembership(ctx, kind, id, membershipId)),
  );
}
