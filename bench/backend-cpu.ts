/**
 * CPU time of the PostgreSQL backends serving one database, read from /proc: with the server on this
 * machine, it shows how much of a run's CPU the database took (planning and executing statements).
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { BENCH_SERVER_URL } from './deployment.ts';

/** Linux's USER_HZ, the unit of utime/stime in /proc/<pid>/stat, is 100 on every common kernel. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) of process `pid` so far, or undefined when it cannot be read. */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    return Number.isFinite(seconds) ? seconds : undefined;
  } catch {
    return undefined;
  }
}

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** CPU seconds per backend pid connected to `database`; undefined when the server is not local or /proc is unreadable. */
export async function backendCpu(database: string): Promise<Map<number, number> | undefined> {
  if (!isLocal(BENCH_SERVER_URL)) {
    return undefined;
  }
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const seconds = await processCpuSeconds(pid);
      if (seconds === undefined) {
        return undefined;
      }
      cpu.set(pid, seconds);
    }
    return cpu;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

/** CPU seconds the backends used between two readings (a backend that started in between counts whole). */
export function backendCpuDelta(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after) {
    return undefined;
  }
  let total = 0;
  for (const [pid, seconds] of after) {
    total += seconds - (before.get(pid) ?? 0);
  }
  return total;
}
