/**
 * The IP address filter's use cases: deciding whether a request's address may reach the tenant
 * (on every request, so the stored list is parsed once per distinct value, not per request), and an
 * administrator saving a new list (validated, stored with its audit row, told to every administrator).
 */
import type { Database } from '#src/db/database.ts';
import { ValidationError } from '#src/errors.ts';
import { recordAudit, type AuditEventName, type AuditSource } from '#src/features/audit/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { translator } from '#src/i18n/index.ts';
import type { AddressMatcher } from '#src/lib/ip-match.ts';
import { compileAllowedIps, validateAllowedIps, type AllowedIpsFilter, type AllowedIpsProblem } from './allowed-ips.ts';
import { allowedIpsProblemMessage } from './allowed-ips.messages.ts';
import type { EventAggregator } from './event-aggregator.ts';
import { deliverIpFilterChange, type IpFilterMailContext } from './ip-filter.mails.ts';
import { selectAllowedIpsForUpdate, upsertAllowedIps } from './ip-filter.repository.ts';

/**
 * - `unrestricted`: the list is empty (or comments only);
 * - `listed`: the address is in the list;
 * - `support`: not in the list, but one of the operator's support addresses;
 * - `refused`: neither.
 */
export type IpVerdict = 'unrestricted' | 'listed' | 'support' | 'refused';

/**
 * Compiled lists by their text. A tenant's settings are re-read per data version, but the text of
 * `allowed_ips` rarely changes, so keying by the text parses each list once however often settings
 * are reloaded, and tenants with the same list share it. Bounded: the oldest is dropped past the limit.
 */
const compiled = new Map<string, AllowedIpsFilter>();
const MAX_COMPILED = 1000;

function filterOf(text: string): AllowedIpsFilter {
  let filter = compiled.get(text);
  if (!filter) {
    filter = compileAllowedIps(text);
    if (compiled.size >= MAX_COMPILED) {
      compiled.delete(compiled.keys().next().value!);
    }
    compiled.set(text, filter);
  }
  return filter;
}

/** The verdict for `address` under the stored list `allowedIps` and the operator's support list. */
export function ipFilterVerdict(allowedIps: string, address: string, support: AddressMatcher): IpVerdict {
  if (allowedIps === '') {
    return 'unrestricted';
  }
  const filter = filterOf(allowedIps);
  if (!filter.restricts) {
    return 'unrestricted';
  }
  if (filter.matcher.matches(address)) {
    return 'listed';
  }
  return support.matches(address) ? 'support' : 'refused';
}

/** What checking a request needs: its tenant's database and settings, the support list, the shared aggregator, a logger. */
export interface IpCheckContext {
  readonly db: Database;
  readonly tenant: { readonly account: string };
  readonly settings: Settings;
  readonly supportAddresses: AddressMatcher;
  readonly events: EventAggregator;
  readonly log: { warn(details: object, message: string): void };
  readonly now: Date;
}

const VERDICT_EVENTS: Partial<Record<IpVerdict, AuditEventName>> = { refused: 'ip_filter.reject', support: 'ip_filter.support_access' };

/**
 * Decides for the request from `source.ip` and, when it is refused or let in only by the support
 * list, logs and audits it — aggregated (event-aggregator.ts). An audit write that fails is logged
 * and does not change the verdict.
 */
export async function checkClientAddress(ctx: IpCheckContext, source: AuditSource, request: { readonly method: string; readonly path: string }): Promise<IpVerdict> {
  const verdict = ipFilterVerdict(ctx.settings.allowed_ips, source.ip, ctx.supportAddresses);
  const event = VERDICT_EVENTS[verdict];
  if (!event) {
    return verdict;
  }
  const decision = ctx.events.note(`${ctx.tenant.account}\u0001${event}`, source.ip, ctx.now.getTime());
  if (!decision.record) {
    if (decision.budgetSpent) {
      ctx.log.warn({ category: 'security', event }, 'IP address filter: further events of this window are counted, not recorded one by one');
    }
    return verdict;
  }
  const details = { method: request.method, path: request.path.slice(0, 200), repeats: decision.repeats };
  ctx.log.warn({ category: 'security', event, ip: source.ip, ...details }, verdict === 'refused' ? 'request refused by the IP address filter' : 'request let in by the operator support list');
  try {
    await recordAudit(ctx.db, { event, source, details });
  } catch (error) {
    ctx.log.warn({ category: 'security', event, err: error }, 'IP address filter: the audit row could not be written');
  }
  return verdict;
}

/** A refused list: each problem (the page shows them in the reader's language; `errors` are English). */
export class AllowedIpsRefused extends ValidationError {
  readonly problems: readonly AllowedIpsProblem[];

  constructor(problems: readonly AllowedIpsProblem[]) {
    const t = translator('en');
    super(problems.map((p) => allowedIpsProblemMessage(t, p)));
    this.problems = problems;
  }
}

export interface IpFilterUpdateContext {
  readonly db: Database;
  readonly mail: IpFilterMailContext;
  /** The operator's KANRI_IP_FILTER_ALLOW_PRIVATE. */
  readonly allowPrivate: boolean;
  readonly now: Date;
}

/**
 * Saves an administrator's new list: refused whole (AllowedIpsRefused, nothing stored) when a line
 * is bad, the list is too long, or it would shut out the saver's own address (`source.ip`); else
 * stored with its `ip_filter.update` audit row (old → new) in one transaction, and every active
 * administrator is e-mailed. Saving the list as it stands changes nothing and tells no one.
 */
export async function updateAllowedIps(ctx: IpFilterUpdateContext, input: { readonly text: string; readonly source: AuditSource }): Promise<{ readonly changed: boolean }> {
  const validated = validateAllowedIps(input.text, { allowPrivate: ctx.allowPrivate, saverAddress: input.source.ip });
  if (validated.problems.length > 0) {
    throw new AllowedIpsRefused(validated.problems);
  }
  const to = validated.text;
  const from = await ctx.db.transaction(async (tx) => {
    const stored = await selectAllowedIpsForUpdate(tx);
    if (stored === to) {
      return undefined;
    }
    await upsertAllowedIps(tx, to, ctx.now);
    await recordAudit(tx, { event: 'ip_filter.update', source: input.source, target: { type: 'Setting', name: 'allowed_ips' }, details: { from: stored, to } });
    return stored;
  });
  if (from === undefined) {
    return { changed: false };
  }
  // After the commit: the change stands whether or not a mail goes out (the mailer never throws).
  await deliverIpFilterChange(ctx.mail, ctx.db, { from, to, login: input.source.actorName, ip: input.source.ip, at: ctx.now });
  return { changed: true };
}
