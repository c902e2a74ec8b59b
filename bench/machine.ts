/** The machine a benchmark ran on, printed in each suite's heading and JSON line. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { BENCH_SERVER_URL } from './deployment.ts';
import { MIB } from './measure.ts';

export interface Machine {
  readonly node: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly pglite: string | undefined;
  readonly postgres: string | undefined;
  /** 1-minute load average before and after: other work on the machine moves the timings. */
  readonly load: readonly [number, number];
}

export function loadAverage(): number {
  return loadavg()[0] ?? NaN;
}

export async function machineInfo(loadBefore: number): Promise<Machine> {
  return {
    node: process.version,
    cpus: availableParallelism(),
    memoryMiB: Math.round(totalmem() / MIB),
    pglite: pgliteVersion(),
    postgres: await postgresVersion(),
    load: [loadBefore, loadAverage()],
  };
}

async function postgresVersion(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

function pgliteVersion(): string | undefined {
  try {
    const url = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine so far, in clock ticks (Linux /proc/stat), or undefined. */
export async function machineCpuTicks(): Promise<{ busy: number; total: number } | undefined> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    const [, ...fields] = line.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(0, 8).map(Number);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    const total = busy + (idle ?? 0) + (iowait ?? 0);
    return Number.isFinite(total) && total > 0 ? { busy, total } : undefined;
  } catch {
    return undefined;
  }
}
