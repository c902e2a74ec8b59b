/** Small measuring helpers shared by the benchmarks: clocks, percentiles, memory, folder sizes. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const MIB = 1024 * 1024;

/** Runs `fn` and answers its result with the elapsed wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** The p-th percentile (0–100) by nearest rank; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) {
    return undefined;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function median(samples: readonly number[]): number | undefined {
  if (samples.length === 0) {
    return undefined;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface Summary {
  readonly n: number;
  readonly median: number | undefined;
  readonly p90: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p90: percentile(samples, 90),
    min: samples.length > 0 ? Math.min(...samples) : undefined,
    max: samples.length > 0 ? Math.max(...samples) : undefined,
  };
}

/**
 * Collects garbage (when the process runs with --expose-gc) until RSS holds still: freed pages reach
 * the OS a little after the collection, and a single pass can leave a few hundred MiB uncounted.
 */
export async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  let last = rss();
  for (let i = 0; i < 8; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = rss();
    if (i > 0 && Math.abs(now - last) < MIB) {
      return;
    }
    last = now;
  }
}

/** Resident set size of this process in bytes. */
export function rss(): number {
  return process.memoryUsage.rss();
}

/** Highest resident set size this process reached, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Sum of the sizes of every file under `dir` (apparent sizes, like `du --apparent-size`). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      total += await folderBytes(path);
    } else if (entry.isFile()) {
      total += (await stat(path)).size;
    }
  }
  return total;
}

/** Proportional and private resident memory of another process (Linux), or undefined if unreadable. */
export async function processMemory(pid: number): Promise<{ pss: number; private: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    const pss = kib('Pss');
    const priv = kib('Private_Clean') + kib('Private_Dirty');
    return Number.isFinite(pss) && Number.isFinite(priv) ? { pss, private: priv } : undefined;
  } catch {
    return undefined;
  }
}
