/**
 * The IP address filter (security.md §7) for other modules: the per-request check the HTTP hook
 * calls, and the aggregator that keeps its audit rows few. The administration page is
 * `ipFilterPages` (ip-filter.pages.tsx).
 */
export { checkClientAddress, ipFilterVerdict, type IpCheckContext, type IpVerdict } from './ip-filter.service.ts';
export { EventAggregator } from './event-aggregator.ts';
export { nonPublicRangeOf, type SpecialRangeKind } from './allowed-ips.ts';
