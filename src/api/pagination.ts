/** Redmine's offset/limit rules for every paginated endpoint (§4). */
import { paramInt, paramString, type Params } from './params.ts';

export interface Page {
  readonly offset: number;
  readonly limit: number;
  /** `nometa` or `X-Redmine-Nometa`: no total_count/offset/limit in the envelope. */
  readonly nometa: boolean;
}

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

/** Beyond any real table; keeps OFFSET inside PostgreSQL's bigint and plans cheap. */
const MAX_OFFSET = 2_000_000_000;

/** A whole number as sent; digits past a safe integer mean "past the end", not 0. */
function count(value: Params[string] | undefined): number | undefined {
  const n = paramInt(value);
  if (n === undefined && typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    return MAX_OFFSET;
  }
  return n;
}

export function pageOf(params: Params, nometaHeader: string | undefined): Page {
  const asked = paramInt(params.limit) ?? 0;
  const limit = asked < 1 ? DEFAULT_LIMIT : Math.min(asked, MAX_LIMIT);
  let offset = 0;
  if (params.offset !== undefined) {
    offset = Math.max(0, count(params.offset) ?? 0);
  } else if (params.page !== undefined) {
    offset = Math.max(0, ((count(params.page) ?? 1) - 1) * limit);
  }
  offset = Math.min(offset, MAX_OFFSET);
  const nometa = Boolean(paramString(params.nometa)) || nometaHeader !== undefined;
  return { offset, limit, nometa };
}
