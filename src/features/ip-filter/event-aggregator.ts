/**
 * Which of many like events (requests refused by the IP address filter, requests let in by the
 * operator's support list) get an audit row and a log line of their own.
 *
 * The audit trail is append-only and kept 183 days, and a refused client can send thousands of
 * requests a minute, so one row per request would let anyone flood a tenant's trail. Instead:
 * - per tenant, event and address, the first event writes a row and opens a window of ~10 minutes;
 *   events inside the window are only counted, and the next row (the first event after the window)
 *   carries that count as `repeats`. So an address gets at most one row per window.
 * - IPv6 addresses count per /64 (one subscriber's network), or rotating addresses inside one
 *   network would each open a window of their own.
 * - each tenant has a budget of rows per window (a spread of many addresses); beyond it events are
 *   only counted, and the caller logs once that the budget is spent.
 * The windows live in this process's memory: with several web processes, each writes at most one
 * row per address and window, which is what "aggregated" needs without a write on every request.
 * Pure apart from its own state; the clock comes in as `now`.
 */
import { formatIpAddress, formatIpRange, parseIpAddress, unmapAddress } from '#src/lib/ip-match.ts';

export const AGGREGATION_WINDOW_MS = 10 * 60_000;
/** Rows one tenant may get per event and window, whatever the number of addresses. */
export const ROWS_PER_WINDOW = 100;
/** Windows kept before old ones are forgotten (a bound on memory, far above the budget's need). */
const MAX_WINDOWS = 20_000;

export type AggregationDecision =
  /** Record this event; `repeats` events of the same key were only counted since its previous row. */
  | { readonly record: true; readonly repeats: number }
  /** Count only; `budgetSpent` is true for the first event refused by the spent budget of a window. */
  | { readonly record: false; readonly budgetSpent: boolean };

interface Window {
  since: number;
  repeats: number;
}

interface Budget {
  since: number;
  rows: number;
  refused: number;
}

/** The address an event is counted under: IPv4 as it is, IPv6 by its /64. */
export function aggregationAddress(address: string): string {
  const parsed = parseIpAddress(address);
  if (!parsed) {
    return address;
  }
  const plain = unmapAddress(parsed);
  return plain.family === 4 ? formatIpAddress(plain) : formatIpRange({ family: 6, network: (plain.value >> 64n) << 64n, prefix: 64 });
}

export class EventAggregator {
  readonly #windowMs: number;
  readonly #budget: number;
  readonly #windows = new Map<string, Window>();
  readonly #budgets = new Map<string, Budget>();

  constructor(windowMs = AGGREGATION_WINDOW_MS, budget = ROWS_PER_WINDOW) {
    this.#windowMs = windowMs;
    this.#budget = budget;
  }

  /** Decides for one event of `scope` (tenant and event name) from `address`, at `now` (ms). */
  note(scope: string, address: string, now: number): AggregationDecision {
    const key = `${scope}\u0001${aggregationAddress(address)}`;
    const open = this.#windows.get(key);
    if (open && now - open.since < this.#windowMs) {
      open.repeats += 1;
      return { record: false, budgetSpent: false };
    }
    let budget = this.#budgets.get(scope);
    if (!budget || now - budget.since >= this.#windowMs) {
      budget = { since: now, rows: 0, refused: 0 };
      this.#budgets.delete(scope);
      this.#budgets.set(scope, budget);
    }
    if (budget.rows >= this.#budget) {
      budget.refused += 1;
      return { record: false, budgetSpent: budget.refused === 1 };
    }
    budget.rows += 1;
    // Re-inserted, so the map stays ordered by window start and the oldest are forgotten first.
    this.#windows.delete(key);
    this.#windows.set(key, { since: now, repeats: 0 });
    this.#forgetOld(now);
    return { record: true, repeats: open?.repeats ?? 0 };
  }

  #forgetOld(now: number): void {
    for (const map of [this.#windows, this.#budgets] as const) {
      if (map.size <= MAX_WINDOWS) {
        continue;
      }
      for (const [key, entry] of map) {
        if (map.size > MAX_WINDOWS || now - entry.since >= this.#windowMs) {
          map.delete(key);
        } else {
          break;
        }
      }
    }
  }
}
