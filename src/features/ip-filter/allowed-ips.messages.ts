/** A refused list's problems as sentences, in the reader's language (the page) or English (the error). */
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { AllowedIpsProblem, SpecialRangeKind } from './allowed-ips.ts';

const RANGE_KIND: Readonly<Record<SpecialRangeKind, MessageKey>> = {
  private: 'label_ip_range_private',
  loopback: 'label_ip_range_loopback',
  link_local: 'label_ip_range_link_local',
  unique_local: 'label_ip_range_unique_local',
  multicast: 'label_ip_range_multicast',
  unspecified: 'label_ip_range_unspecified',
  reserved: 'label_ip_range_reserved',
};

export function allowedIpsProblemMessage(t: Translate, problem: AllowedIpsProblem): string {
  switch (problem.code) {
    case 'not_an_address':
    case 'leading_zeros':
    case 'invalid_prefix':
    case 'non_contiguous_netmask':
    case 'zero_prefix':
    case 'ipv4_mapped':
      return t(`error_ip_filter_${problem.code}`, { line: String(problem.line), entry: problem.entry });
    case 'host_bits':
      return t('error_ip_filter_host_bits', { line: String(problem.line), entry: problem.entry, range: problem.range });
    case 'special_range':
      return t('error_ip_filter_special_range', { line: String(problem.line), entry: problem.entry, kind: t(RANGE_KIND[problem.kind]), range: problem.range });
    case 'duplicate':
      return t('error_ip_filter_duplicate', { line: String(problem.line), entry: problem.entry, other: String(problem.other) });
    case 'inside':
      return t('error_ip_filter_inside', { line: String(problem.line), entry: problem.entry, other: String(problem.other), outer: problem.outer });
    case 'too_many':
      return t('error_ip_filter_too_many', { count: String(problem.count), max: String(problem.max) });
    case 'too_long':
      return t('error_ip_filter_too_long', { max: String(problem.max) });
    case 'excludes_saver':
      return t('error_ip_filter_excludes_saver', { ip: problem.address });
  }
}
